import { formatTable } from '../report/text-table.js';
import type { AdHocLoadResult } from './ad-hoc-load.js';
import type { LatencyBucket } from './latency-buckets.js';
import { formatMs } from './progress-line.js';
import { naturalCompare } from './natural-compare.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const rate = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const BAR_WIDTH = 30;

/** What the run did, in one line: `GET http://127.0.0.1:8080/  50 connections, closed model (each waits for its answer)`. */
export function describeLoad(result: Pick<AdHocLoadResult, 'method' | 'url' | 'model' | 'connections'>): string {
  const model =
    result.model.kind === 'open'
      ? `open model: ${result.model.ratePerSec} req/s for ${(result.model.durationMs / 1000).toFixed(1)}s, latency from each request's due time`
      : 'closed model: each connection waits for its answer';
  return `${result.method} ${result.url}  ${result.connections} connections, ${model}`;
}

/** `  1.20ms –   2.40ms  ██████████           1,234  12.3%`: one line per bucket, bars scaled to the fullest bucket. */
export function formatHistogram(buckets: readonly LatencyBucket[]): string[] {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const most = Math.max(1, ...buckets.map((b) => b.count));
  const countWidth = Math.max(...buckets.map((b) => integer.format(b.count).length), 1);
  return buckets.map((b) => {
    const filled = b.count === 0 ? 0 : Math.max(1, Math.round((b.count * BAR_WIDTH) / most));
    const share = total === 0 ? 0 : (b.count * 100) / total;
    return (
      `  ${formatMs(b.fromMs).padStart(7)} – ${formatMs(b.toMs).padStart(7)}  ` +
      `${'█'.repeat(filled).padEnd(BAR_WIDTH)}  ${integer.format(b.count).padStart(countWidth)}  ${share.toFixed(1).padStart(5)}%`
    );
  });
}

function statusLine(result: AdHocLoadResult): string {
  const statuses = Object.entries(result.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status} ×${integer.format(count)}`);
  const codes = Object.entries(result.byErrorCode).map(([code, count]) => `${code} ×${integer.format(count)}`);
  return `status     ${statuses.join('  ') || '(none)'}${codes.length > 0 ? `   no response: ${codes.join('  ')}` : ''}`;
}

/** The report `lblab load` prints at the end (plain text, fits 80 columns with a few servers). */
export function formatLoadReport(result: AdHocLoadResult): string {
  const errorShare = result.requests === 0 ? 0 : (result.errors * 100) / result.requests;
  const lines = [
    describeLoad(result),
    '',
    `requests   ${integer.format(result.requests)} in ${(result.durationMs / 1000).toFixed(2)}s, ` +
      `${rate.format(result.requestsPerSec)} req/s   errors ${integer.format(result.errors)} (${errorShare.toFixed(1)}%, status >= 500 or no response)`,
    statusLine(result),
  ];
  if (result.dropped > 0) lines.push(`dropped    ${integer.format(result.dropped)} (due while ${result.model.kind === 'open' ? result.model.maxInFlight : ''} were in flight, not sent)`);
  if (result.cancelled > 0) lines.push(`cancelled  ${integer.format(result.cancelled)} (still in flight when the run was cut short)`);
  if (result.endReason !== 'completed') lines.push(`ended      ${result.endReason}`);
  const p = result.latency.percentilesMs;
  lines.push(
    `latency    ${Object.entries(p)
      .map(([name, ms]) => `${name} ${formatMs(ms)}`)
      .join('  ')}  max ${formatMs(result.latency.maxMs)}  mean ${formatMs(result.latency.meanMs)}`,
  );
  if (result.histogram.length > 0) lines.push('', 'latency histogram (responses per latency range)', ...formatHistogram(result.histogram));
  const servers = [...result.servers].sort((a, b) => naturalCompare(a.name, b.name));
  if (servers.length > 0) {
    lines.push(
      '',
      'per server (X-Server-Id)',
      formatTable(
        ['SERVER', 'REQUESTS', 'SHARE', 'ERRORS', 'P50 MS', 'P99 MS', 'MAX MS'],
        servers.map((s) => [
          s.name,
          s.requests,
          `${result.requests === 0 ? '0.0' : ((s.requests * 100) / result.requests).toFixed(1)}%`,
          s.errors,
          (s.latency.percentilesMs['p50'] ?? 0).toFixed(2),
          (s.latency.percentilesMs['p99'] ?? 0).toFixed(2),
          s.latency.maxMs.toFixed(2),
        ]),
      )
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n'),
    );
  }
  return lines.join('\n');
}
