import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummary, LoadResult, ServerLoadResult } from './load-result.js';
import type { LoadTick } from './types.js';

/** Microseconds to milliseconds, kept to the microsecond. */
function usToMs(us: number): number {
  return Math.round(us) / 1000;
}

/** Percentiles of a latency histogram (recorded in microseconds), in milliseconds. Reads the histogram only. */
export function summarizeLatency(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  return {
    p50Ms: usToMs(histogram.getValueAtPercentile(50)),
    p90Ms: usToMs(histogram.getValueAtPercentile(90)),
    p99Ms: usToMs(histogram.getValueAtPercentile(99)),
    maxMs: usToMs(histogram.maxValue),
    meanMs: usToMs(histogram.mean),
  };
}

export interface ServerCounts {
  readonly requests: number;
  readonly errors: number;
  readonly histogram: Histogram;
}

export interface AggregateLoadInput {
  readonly durationMs: number;
  readonly scheduled: number;
  readonly dropped: number;
  readonly cancelled: number;
  readonly byServer: ReadonlyMap<string, ServerCounts>;
  readonly overall: Histogram;
  readonly byStatus: ReadonlyMap<string, number>;
  readonly byErrorCode: ReadonlyMap<string, number>;
  readonly ticks: readonly LoadTick[];
}

/** Builds a LoadResult from counters and histograms. Pure: reads its input, changes nothing. Totals are sums of the per-server counts. */
export function aggregateLoad(input: AggregateLoadInput): LoadResult {
  const byServer: Record<string, ServerLoadResult> = {};
  let requests = 0;
  let errors = 0;
  for (const [name, counts] of input.byServer) {
    byServer[name] = { requests: counts.requests, errors: counts.errors, latency: summarizeLatency(counts.histogram) };
    requests += counts.requests;
    errors += counts.errors;
  }
  return {
    requests,
    errors,
    dropped: input.dropped,
    cancelled: input.cancelled,
    scheduled: input.scheduled,
    durationMs: input.durationMs,
    byServer,
    byStatus: Object.fromEntries(input.byStatus),
    byErrorCode: Object.fromEntries(input.byErrorCode),
    latency: summarizeLatency(input.overall),
    ticks: [...input.ticks],
  };
}

export interface AggregateTickInput {
  readonly atMs: number;
  readonly intervalMs: number;
  readonly byServer: ReadonlyMap<string, number>;
  readonly byStatus: ReadonlyMap<string, number>;
  readonly errors: number;
  readonly dropped: number;
  /** Latencies of this tick's responses, in microseconds. */
  readonly histogram: Histogram;
  readonly totalRequests: number;
  readonly totalErrors: number;
  readonly totalDropped: number;
  readonly inFlight: number;
}

/** Builds one LoadTick from a tick's counters and histogram. Pure. */
export function aggregateTick(input: AggregateTickInput): LoadTick {
  const { p50Ms, p90Ms, p99Ms, maxMs } = summarizeLatency(input.histogram);
  return {
    atMs: input.atMs,
    intervalMs: input.intervalMs,
    byServer: Object.fromEntries(input.byServer),
    errors: input.errors,
    byStatus: Object.fromEntries(input.byStatus),
    latency: { p50Ms, p90Ms, p99Ms, maxMs },
    totalRequests: input.totalRequests,
    totalErrors: input.totalErrors,
    dropped: input.dropped,
    totalDropped: input.totalDropped,
    inFlight: input.inFlight,
  };
}
