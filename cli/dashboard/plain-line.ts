import type { DashboardState } from './dashboard-state.js';
import { formatClock, formatClockMs, formatElapsed, formatErrorRate, formatMs, formatRate, formatShare } from './format.js';

const SHORT_ALGORITHM: Readonly<Record<string, string>> = {
  'round-robin': 'rr',
  'weighted-round-robin': 'wrr',
  'least-connections': 'lc',
  'power-of-two': 'p2c',
  random: 'random',
  'least-response-time': 'lrt',
  'consistent-hash': 'chash',
  'first-available': 'first',
  maglev: 'maglev',
};

/**
 * One progress line for terminals without a TTY and for logs:
 * `12:03:04 rr 412 req/s err 0.0% | server1 up 34% | server2 down 0%`.
 */
export function formatPlainLine(state: DashboardState, nowMs: number = state.nowMs): string {
  const time = formatClock(nowMs);
  const connection = state.connection;
  if (connection?.status === 'lost') {
    return `${time} balancer unreachable since ${formatClock(connection.sinceMs)}: ${connection.reason} (retrying)`;
  }
  if (connection?.status === 'connecting') return `${time} connecting to the balancer`;
  const progress = state.run?.progress;
  const head = [
    time,
    ...(progress === undefined
      ? []
      : [
          `[${progress.phase} ${progress.phaseIndex + 1}/${progress.phaseCount} ${formatElapsed(progress.elapsedMs)}${
            progress.totalMs === undefined ? '' : `/${formatElapsed(progress.totalMs)}`
          }]`,
        ]),
    ...(state.algorithm === 'unknown' ? [] : [SHORT_ALGORITHM[state.algorithm] ?? state.algorithm]),
    `${formatRate(state.totals.ratePerSec)} req/s`,
    `err ${formatErrorRate(state.totals.errorRate)}`,
    ...(state.latency === undefined ? [] : [`p50 ${formatMs(state.latency.p50Ms)} p99 ${formatMs(state.latency.p99Ms)}`]),
  ].join(' ');
  const servers = state.servers.map((server) => {
    const health = server.health === 'unknown' ? (server.state === 'unknown' ? '' : server.state) : server.health;
    return `${server.name}${health === '' ? '' : ` ${health}`} ${formatShare(server.share)}`;
  });
  return [head, ...servers].join(' | ');
}

/** An event-log line as plain text: `12:03:04.512 server2 up -> down  2 failed checks`. */
export function formatPlainEvent(event: { readonly atMs: number; readonly text: string; readonly detail?: string }): string {
  return `${formatClockMs(event.atMs)} ${event.text}${event.detail === undefined ? '' : `  ${event.detail}`}`;
}
