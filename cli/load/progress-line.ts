import { naturalCompare } from './natural-compare.js';
import type { LoadTick } from './types.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1.2ms below 100 ms, 250ms from 100 ms, 1.50s from 10 s. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  return `${ms.toFixed(1)}ms`;
}

/** Columns a progress line may take: a classic terminal. */
export const PROGRESS_LINE_WIDTH = 80;

/**
 * Each server's share of the tick: `server1 34% server2 33%` when it fits in
 * `room` columns, else `split 34/33/33%` (servers in natural order), else
 * `12 servers 9-11%` (the lowest and highest share).
 */
function sharesText(entries: readonly (readonly [string, number])[], total: number, room: number): string {
  const percents = entries.map(([, count]) => Math.round((count * 100) / total));
  const full = entries.map(([name], i) => `${name} ${percents[i]}%`).join(' ');
  if (full.length <= room || entries.length === 1) return full;
  const compact = `split ${percents.join('/')}%`;
  if (compact.length <= room) return compact;
  return `${entries.length} servers ${Math.min(...percents)}-${Math.max(...percents)}%`;
}

/**
 * One line per tick for plain terminals and logs, at most `maxWidth` columns
 * when the servers' shares can be shortened to fit:
 * `  3.0s  1,234 req  412 req/s  err 0  p50 1.2ms p99 8.0ms  server1 34% server2 33% server3 33%`.
 * Total requests and errors since the start; rate, latency and shares of this tick.
 */
export function formatProgressLine(tick: LoadTick, maxWidth: number = PROGRESS_LINE_WIDTH): string {
  const entries = Object.entries(tick.byServer).sort(([a], [b]) => naturalCompare(a, b));
  const tickRequests = entries.reduce((sum, [, count]) => sum + count, 0);
  const ratePerSec = tick.intervalMs > 0 ? (tickRequests * 1000) / tick.intervalMs : 0;
  const parts = [
    `${(tick.atMs / 1000).toFixed(1).padStart(5)}s`,
    `${integer.format(tick.totalRequests)} req`,
    `${integer.format(ratePerSec)} req/s`,
    `err ${integer.format(tick.totalErrors)}`,
    `p50 ${formatMs(tick.latency.p50Ms)} p99 ${formatMs(tick.latency.p99Ms)}`,
  ];
  if ((tick.totalDropped ?? 0) > 0) parts.push(`dropped ${integer.format(tick.totalDropped ?? 0)}`);
  if (tickRequests > 0) {
    const head = parts.join('  ');
    parts.push(sharesText(entries, tickRequests, maxWidth - head.length - 2));
  }
  return parts.join('  ');
}
