import { formatInteger, formatSeconds, formatShare } from './format.js';
import type { RunSummary } from './run-summary.js';
import { runWarnings } from './run-warnings.js';

type Align = 'left' | 'right';

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatColumns(rows: readonly (readonly string[])[], aligns: readonly Align[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, index) => ((aligns[index] ?? 'left') === 'right' ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The run's numbers as a plain-text table for the terminal: the same values as
 * summary.json (latencies as they are there, shares as percent), totals, and
 * the thresholds with PASS/FAIL.
 */
export function formatSummaryTable(summary: RunSummary): string {
  const { totals } = summary;
  const lines: string[] = [
    `${summary.scenario} · ${summary.lab.algorithm} · ${formatInteger(totals.requests)} requests in ${formatSeconds(summary.durationMs)} · ${totals.ratePerSec} req/s`,
    ...runWarnings(summary),
    '',
  ];
  const rows: string[][] = [['server', 'requests', 'share', 'p50 ms', 'p99 ms', 'errors']];
  for (const server of summary.servers) {
    rows.push([server.name, formatInteger(server.requests), formatShare(server.share), String(server.p50Ms), String(server.p99Ms), formatInteger(server.errors)]);
  }
  rows.push(['total', formatInteger(totals.requests), totals.requests > 0 ? '100.0%' : '0.0%', String(summary.latency.p50Ms), String(summary.latency.p99Ms), formatInteger(totals.errors)]);
  lines.push(...formatColumns(rows, ['left', 'right', 'right', 'right', 'right', 'right']));
  lines.push('');
  const statuses = Object.entries(summary.statuses).map(([status, count]) => `${status}: ${formatInteger(count)}`);
  lines.push(`statuses ${statuses.length > 0 ? statuses.join('  ') : 'none'} · dropped ${formatInteger(totals.dropped)} · cancelled ${formatInteger(totals.cancelled)}`);
  const errorCodes = Object.entries(summary.errorCodes);
  if (errorCodes.length > 0) lines.push(`no response: ${errorCodes.map(([code, count]) => `${code}: ${formatInteger(count)}`).join('  ')}`);

  if (summary.thresholds.length > 0) {
    const passed = summary.thresholds.filter((t) => t.pass).length;
    lines.push('', `thresholds: ${passed} of ${summary.thresholds.length} passed`);
    const thresholdRows = summary.thresholds.map((t) => [t.pass ? 'PASS' : 'FAIL', t.name, `expected ${t.expected}`, `measured ${t.measured}`]);
    lines.push(...formatColumns(thresholdRows, ['left', 'left', 'left', 'left']).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
