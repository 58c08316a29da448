import { balancerLabel } from './balancer-label.js';
import { algorithmLabel } from './algorithm-label.js';
import { formatInteger, formatMs, formatRate, formatSeconds, formatShare } from './format.js';
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
 * The run's numbers as a plain-text table for the terminal: human numbers
 * (separators, at most 2 decimals in ms, – for no data), totals, and the
 * thresholds with PASS/FAIL.
 */
export function formatSummaryTable(summary: RunSummary): string {
  const { totals } = summary;
  const balancer = summary.balancer === undefined ? '' : ` · ${balancerLabel(summary)}`;
  const lines: string[] = [
    `${summary.scenario} · ${algorithmLabel(summary.lab)}${balancer} · ${formatInteger(totals.requests)} requests in ${formatSeconds(summary.durationMs)} · ${formatRate(totals.ratePerSec)} req/s`,
    ...runWarnings(summary),
    '',
  ];
  const rows: string[][] = [['server', 'requests', 'share', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors']];
  // A run of several passes: the servers' figures mix algorithms; the per-algorithm table (printed apart) holds them.
  const servers = (summary.passes ?? []).length > 0 ? [] : summary.servers;
  for (const server of servers) {
    const has = server.requests > 0 && !server.name.startsWith('(no response');
    rows.push([
      server.name,
      formatInteger(server.requests),
      formatShare(server.share),
      formatMs(server.p50Ms, has),
      formatMs(server.p90Ms, has),
      formatMs(server.p99Ms, has),
      formatMs(server.p999Ms, has),
      formatMs(server.maxMs, has),
      formatInteger(server.errors),
    ]);
  }
  const any = totals.requests > 0;
  const l = summary.latency;
  rows.push(['total', formatInteger(totals.requests), any ? '100.0%' : '0.0%', formatMs(l.p50Ms, any), formatMs(l.p90Ms, any), formatMs(l.p99Ms, any), formatMs(l.p999Ms, any), formatMs(l.maxMs, any), formatInteger(totals.errors)]);
  lines.push(...formatColumns(rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));
  lines.push('');
  const statuses = Object.entries(summary.statuses).map(([status, count]) => `${status}: ${formatInteger(count)}`);
  lines.push(`statuses ${statuses.length > 0 ? statuses.join('  ') : 'none'} · dropped ${formatInteger(totals.dropped)} · cancelled ${formatInteger(totals.cancelled)}`);
  const errorCodes = Object.entries(summary.errorCodes);
  if (errorCodes.length > 0) lines.push(`no response: ${errorCodes.map(([code, count]) => `${code}: ${formatInteger(count)}`).join('  ')}`);
  for (const row of summary.failover ?? []) {
    const ms = (value: number | null): string => (value === null ? 'never' : `${formatInteger(value)} ms`);
    lines.push(
      row.direction === 'down'
        ? `${row.action} ${row.server} at ${formatSeconds(row.atMs)}: marked down after ${ms(row.markedMs)}, ${row.servedMs === null ? 'no response after the action' : `last response after ${ms(row.servedMs)}`}, ${formatInteger(row.errorsLeaked)} error${row.errorsLeaked === 1 ? '' : 's'} leaked`
        : `${row.action} ${row.server} at ${formatSeconds(row.atMs)}: marked up after ${ms(row.markedMs)}, first response after ${ms(row.servedMs)}`,
    );
  }
  for (const row of summary.remap ?? []) {
    lines.push(`${row.action} ${row.server} at ${formatSeconds(row.atMs)}: ${formatShare(row.movedFraction)} of ${formatInteger(row.keysCompared)} keys moved (ideal ${formatShare(row.idealFraction)}), ${formatInteger(row.movedViaChanged)} of ${formatInteger(row.keysMoved)} via ${row.server}`);
  }

  if (summary.thresholds.length > 0) {
    const passed = summary.thresholds.filter((t) => t.pass).length;
    lines.push('', `thresholds: ${passed} of ${summary.thresholds.length} passed`);
    const thresholdRows = summary.thresholds.map((t) => [t.pass ? 'PASS' : 'FAIL', t.name, `expected ${t.expected}`, `measured ${typeof t.measured === 'number' ? t.measured.toLocaleString('en-US', { maximumFractionDigits: 4 }) : t.measured}`]);
    lines.push(...formatColumns(thresholdRows, ['left', 'left', 'left', 'left']).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
