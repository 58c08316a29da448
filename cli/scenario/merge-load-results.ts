import type { Histogram } from 'hdr-histogram-js';
import { worstSaturation } from '../../balancer/metrics/saturation-monitor.js';
import { aggregateLoad, type ServerCounts } from '../load/aggregate.js';
import { createLatencyHistogram } from '../load/latency-histogram.js';
import type { LoadResult } from '../load/load-result.js';
import type { LoadTick } from '../load/types.js';
import type { RequestLog } from '../load/request-log.js';

/** One phase's load result, `offsetMs` after the start of the whole run, with the phase's HDR histograms. */
export interface LoadSegment {
  readonly offsetMs: number;
  readonly result: LoadResult;
  readonly histograms: { readonly overall: Histogram; readonly byServer: ReadonlyMap<string, Histogram> };
  /** Every request of the phase, when it was logged. */
  readonly log?: RequestLog;
}

/** Totals of the segments before a tick's own, so its running totals count from the start of the whole run. */
export interface TickBase {
  readonly requests: number;
  readonly errors: number;
  readonly dropped: number;
}

export const ZERO_TICK_BASE: TickBase = { requests: 0, errors: 0, dropped: 0 };

/** A phase's tick, moved onto the whole run's clock and totals. */
export function shiftTick(tick: LoadTick, offsetMs: number, base: TickBase): LoadTick {
  return {
    ...tick,
    atMs: tick.atMs + offsetMs,
    totalRequests: tick.totalRequests + base.requests,
    totalErrors: tick.totalErrors + base.errors,
    ...(tick.totalDropped === undefined ? {} : { totalDropped: tick.totalDropped + base.dropped }),
  };
}

function addCount(map: Map<string, number>, key: string, count: number): void {
  map.set(key, (map.get(key) ?? 0) + count);
}

/**
 * The load result of several phases run one after the other, as if one run:
 * counts summed, latency histograms merged (exact percentiles, not averages
 * of percentiles), ticks on one clock. The first segment sets time 0. Pure:
 * reads the segments' histograms, changes nothing.
 */
export function mergeLoadSegments(segments: readonly LoadSegment[]): LoadResult {
  const first = segments[0];
  if (first === undefined) throw new Error('mergeLoadSegments needs at least one segment');
  const startMs = first.offsetMs;
  if (segments.length === 1) return first.result;

  const overall = createLatencyHistogram();
  const byServer = new Map<string, ServerCounts & { requests: number; errors: number }>();
  const byStatus = new Map<string, number>();
  const byErrorCode = new Map<string, number>();
  const ticks: LoadTick[] = [];
  let base: TickBase = ZERO_TICK_BASE;
  let scheduled = 0;
  let dropped = 0;
  let cancelled = 0;
  let endMs = 0;
  for (const segment of segments) {
    const { result } = segment;
    const offsetMs = segment.offsetMs - startMs;
    overall.add(segment.histograms.overall);
    for (const [name, server] of Object.entries(result.byServer)) {
      let counts = byServer.get(name);
      if (counts === undefined) {
        counts = { requests: 0, errors: 0, histogram: createLatencyHistogram() };
        byServer.set(name, counts);
      }
      counts.requests += server.requests;
      counts.errors += server.errors;
      const histogram = segment.histograms.byServer.get(name);
      if (histogram !== undefined) counts.histogram.add(histogram);
    }
    for (const [status, count] of Object.entries(result.byStatus)) addCount(byStatus, status, count);
    for (const [code, count] of Object.entries(result.byErrorCode)) addCount(byErrorCode, code, count);
    for (const tick of result.ticks) ticks.push(shiftTick(tick, offsetMs, base));
    base = { requests: base.requests + result.requests, errors: base.errors + result.errors, dropped: base.dropped + result.dropped };
    scheduled += result.scheduled;
    dropped += result.dropped;
    cancelled += result.cancelled;
    endMs = Math.max(endMs, offsetMs + result.durationMs);
  }
  const merged = aggregateLoad({ durationMs: endMs, scheduled, dropped, cancelled, byServer, overall, byStatus, byErrorCode, ticks });
  const saturation = worstSaturation(segments.flatMap((segment) => (segment.result.saturation === undefined ? [] : [segment.result.saturation])));
  return saturation === undefined ? merged : { ...merged, saturation };
}
