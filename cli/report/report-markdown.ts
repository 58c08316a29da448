import { formatInteger, formatSeconds, formatShare } from './format.js';
import type { RunSummary } from './run-summary.js';

/** The chart files a report embeds, relative to the report. */
export interface ReportCharts {
  readonly distribution?: string;
  readonly timeline?: string;
  readonly latency?: string;
  readonly algorithms?: string;
}

function cell(text: string | number): string {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[], numericFrom = 1): string[] {
  const align = header.map((_h, index) => (index >= numericFrom ? '---:' : '---'));
  return [`| ${header.map(cell).join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

/** report.md: title, the numbers as tables, thresholds, the timeline of actions and health changes, and the charts (relative links). Pure. */
export function buildReportMarkdown(summary: RunSummary, charts: ReportCharts): string {
  const { totals, lab } = summary;
  const labParts = [`${lab.servers.length} servers`, lab.app, lab.runtime].filter((part): part is string => part !== undefined && part !== '');
  const lines: string[] = [
    `# ${summary.scenario} — ${lab.algorithm}`,
    '',
    `Started ${summary.startedAt} · ${formatSeconds(summary.durationMs)} · seed ${summary.seed ?? 'none'} · ${labParts.join(', ')}`,
    '',
    ...table(
      ['requests', 'errors', 'dropped', 'cancelled', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      [[formatInteger(totals.requests), formatInteger(totals.errors), formatInteger(totals.dropped), formatInteger(totals.cancelled), totals.ratePerSec, summary.latency.p50Ms, summary.latency.p90Ms, summary.latency.p99Ms, summary.latency.maxMs]],
      0,
    ),
    '',
    '## Servers',
    '',
    ...table(
      ['server', 'requests', 'share', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
      summary.servers.map((s) => [s.name, formatInteger(s.requests), formatShare(s.share), formatInteger(s.errors), s.p50Ms, s.p90Ms, s.p99Ms, s.maxMs]),
    ),
    '',
    '## Statuses',
    '',
    ...table(['status', 'requests'], [
      ...Object.entries(summary.statuses).map(([status, count]) => [status, formatInteger(count)]),
      ...Object.entries(summary.errorCodes).map(([code, count]) => [`error: ${code}`, formatInteger(count)]),
    ]),
    '',
    '## Thresholds',
    '',
  ];
  if (summary.thresholds.length === 0) {
    lines.push('No thresholds.');
  } else {
    lines.push(...table(['result', 'threshold', 'expected', 'measured'], summary.thresholds.map((t) => [t.pass ? '✅ pass' : '❌ fail', t.name, t.expected, t.measured]), 4));
  }
  lines.push('', '## Actions and health changes', '');
  const events = [
    ...summary.actions.map((a) => ({ atMs: a.atMs, text: `${a.action} ${a.target}`, kind: 'action' })),
    ...summary.healthChanges.map((h) => ({ atMs: h.atMs, text: `${h.server} ${h.health}`, kind: 'health' })),
  ].sort((a, b) => a.atMs - b.atMs);
  if (events.length === 0) lines.push('None.');
  else lines.push(...table(['at', 'event', 'kind'], events.map((e) => [formatSeconds(e.atMs), e.text, e.kind]), 3));

  const chartLines: string[] = [];
  if (charts.distribution !== undefined) chartLines.push(`![Requests per server](${charts.distribution})`, '');
  if (charts.timeline !== undefined) chartLines.push(`![Requests per second per server, with actions and health changes](${charts.timeline})`, '');
  if (charts.latency !== undefined) chartLines.push(`![Latency percentiles per second](${charts.latency})`, '');
  if (charts.algorithms !== undefined) chartLines.push(`![Share per server and p99 by algorithm](${charts.algorithms})`, '');
  if (chartLines.length > 0) lines.push('', '## Charts', '', ...chartLines.slice(0, -1));
  return `${lines.join('\n')}\n`;
}
