import type { Histogram } from 'hdr-histogram-js';

/** One bar of a latency histogram: responses whose latency fell in [fromMs, toMs]. */
export interface LatencyBucket {
  readonly fromMs: number;
  readonly toMs: number;
  readonly count: number;
}

interface RecordedValue {
  readonly valueIteratedTo: number;
  readonly countAddedInThisIterationStep: number;
}

/** What the JS histograms (Int32Histogram, the one lblab records into) offer beyond the Histogram interface. */
interface IterableHistogram {
  readonly recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): RecordedValue };
}

/**
 * The histogram's latencies (microseconds) in `bucketCount` buckets spaced
 * logarithmically from the lowest to the highest latency recorded, so a long
 * tail keeps its own bars. Reads the histogram only; [] when it is empty.
 */
export function latencyBuckets(histogram: Histogram, bucketCount = 10): LatencyBucket[] {
  if (histogram.totalCount === 0) return [];
  const minUs = Math.max(1, histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 1 : histogram.minNonZeroValue);
  const maxUs = Math.max(minUs, histogram.maxValue);
  const count = maxUs === minUs ? 1 : bucketCount;
  const ratio = Math.pow(maxUs / minUs, 1 / count);
  const edgesUs = Array.from({ length: count + 1 }, (_, i) => (i === count ? maxUs : minUs * Math.pow(ratio, i)));
  const counts = new Array<number>(count).fill(0);
  const iterator = (histogram as unknown as IterableHistogram).recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const value = iterator.next();
    const us = value.valueIteratedTo;
    let index = edgesUs.findIndex((edge) => us <= edge) - 1;
    if (index < 0) index = 0;
    if (index >= count || us > maxUs) index = count - 1;
    counts[index] = (counts[index] ?? 0) + value.countAddedInThisIterationStep;
  }
  return counts.map((n, i) => ({ fromMs: (edgesUs[i] ?? 0) / 1000, toMs: (edgesUs[i + 1] ?? 0) / 1000, count: n }));
}
