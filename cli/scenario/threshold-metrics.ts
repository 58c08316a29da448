import type { RunSummary } from '../report/run-summary.js';
import type { ComparisonOperator } from './comparison.js';

export interface Measurement {
  readonly value: number;
  /** Which server gave the value (maxShare, minShare). */
  readonly server?: string;
}

export interface ThresholdMetric {
  /** How a bare number is read: `errors: 0` means `errors <= 0`. */
  readonly bareOperator: ComparisonOperator;
  readonly measure: (summary: RunSummary) => Measurement;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** `(none)` and `(no response)` are buckets, not servers. */
function realServers(summary: RunSummary): RunSummary['servers'] {
  return summary.servers.filter((server) => !server.name.startsWith('('));
}

function extremeShare(summary: RunSummary, pickHigher: boolean): Measurement {
  let best: Measurement | undefined;
  for (const server of realServers(summary)) {
    if (best === undefined || (pickHigher ? server.share > best.value : server.share < best.value)) best = { value: server.share, server: server.name };
  }
  return best ?? { value: 0 };
}

function okResponses(summary: RunSummary): number {
  return Object.entries(summary.statuses).reduce((sum, [status, count]) => (/^2\d\d$/.test(status) ? sum + count : sum), 0);
}

/**
 * The thresholds a scenario may set, what each measures in the run's summary,
 * and how a bare number is read: an upper bound for counts, rates and
 * latencies, a lower bound for `okRate` and `minShare`, an exact count for `requests`.
 */
export const THRESHOLD_METRICS = {
  requests: { bareOperator: '==', measure: (s) => ({ value: s.totals.requests }) },
  errors: { bareOperator: '<=', measure: (s) => ({ value: s.totals.errors }) },
  errorRate: { bareOperator: '<=', measure: (s) => ({ value: s.totals.requests === 0 ? 0 : round4(s.totals.errors / s.totals.requests) }) },
  okRate: { bareOperator: '>=', measure: (s) => ({ value: s.totals.requests === 0 ? 0 : round4(okResponses(s) / s.totals.requests) }) },
  p50Ms: { bareOperator: '<=', measure: (s) => ({ value: s.latency.p50Ms }) },
  p90Ms: { bareOperator: '<=', measure: (s) => ({ value: s.latency.p90Ms }) },
  p99Ms: { bareOperator: '<=', measure: (s) => ({ value: s.latency.p99Ms }) },
  maxShare: { bareOperator: '<=', measure: (s) => extremeShare(s, true) },
  minShare: { bareOperator: '>=', measure: (s) => extremeShare(s, false) },
} as const satisfies Record<string, ThresholdMetric>;

export type ThresholdName = keyof typeof THRESHOLD_METRICS;

export const THRESHOLD_NAMES = Object.keys(THRESHOLD_METRICS) as ThresholdName[];
