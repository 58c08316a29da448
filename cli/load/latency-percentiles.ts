import type { Histogram } from 'hdr-histogram-js';

/** The percentiles `lblab load` prints, as wrk and oha do. */
export const REPORTED_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export interface LatencyPercentiles {
  /** `p50`, `p75`, `p90`, `p95`, `p99`, `p99.9` → milliseconds. */
  readonly percentilesMs: Readonly<Record<string, number>>;
  readonly maxMs: number;
  readonly meanMs: number;
  readonly minMs: number;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

/** Percentiles of a latency histogram (microseconds) in milliseconds; all 0 when empty. Reads the histogram only. */
export function latencyPercentiles(histogram: Histogram | undefined): LatencyPercentiles {
  if (histogram === undefined) return { percentilesMs: Object.fromEntries(REPORTED_PERCENTILES.map((p) => [`p${p}`, 0])), maxMs: 0, meanMs: 0, minMs: 0 };
  const empty = histogram.totalCount === 0;
  const percentilesMs: Record<string, number> = {};
  // A percentile is the top of its histogram bucket, which can lie above the largest value seen: clamped to it.
  for (const p of REPORTED_PERCENTILES) percentilesMs[`p${p}`] = empty ? 0 : usToMs(Math.min(histogram.getValueAtPercentile(p), histogram.maxValue));
  return {
    percentilesMs,
    maxMs: empty ? 0 : usToMs(histogram.maxValue),
    meanMs: empty ? 0 : usToMs(histogram.mean),
    minMs: empty ? 0 : usToMs(histogram.minNonZeroValue),
  };
}
