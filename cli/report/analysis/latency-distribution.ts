import type { Histogram } from 'hdr-histogram-js';
import type { RunLatencyDistribution, RunPercentilePoint } from '../run-summary.js';

/** Percentiles from 0 to 99.99, ten per decade of 1 / (1 - p), as HdrHistogram plots them. */
export const DISTRIBUTION_PERCENTILES: readonly number[] = Array.from({ length: 41 }, (_, k) => Number((100 * (1 - 10 ** (-k / 10))).toFixed(4)));

/** A histogram (microseconds) as percentile points in ms; empty when nothing was recorded. */
export function percentilePoints(histogram: Histogram): RunPercentilePoint[] {
  if (histogram.totalCount === 0) return [];
  const maxUs = histogram.maxValue;
  return DISTRIBUTION_PERCENTILES.map((percentile) => ({ percentile, ms: Math.round(Math.min(maxUs, histogram.getValueAtPercentile(percentile))) / 1000 }));
}

export function latencyDistribution(overall: Histogram, byServer: ReadonlyMap<string, Histogram>): RunLatencyDistribution {
  const servers: Record<string, RunPercentilePoint[]> = {};
  for (const [name, histogram] of [...byServer].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    const points = percentilePoints(histogram);
    if (points.length > 0) servers[name] = points;
  }
  return { overall: percentilePoints(overall), byServer: servers };
}

/** p99.9 of a histogram in ms (0 when empty). */
export function p999Ms(histogram: Histogram): number {
  return histogram.totalCount === 0 ? 0 : Math.round(histogram.getValueAtPercentile(99.9)) / 1000;
}
