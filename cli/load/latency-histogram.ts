import { build, type Histogram } from 'hdr-histogram-js';

/** Highest latency a histogram tracks: one hour, in microseconds. Larger values are recorded as this. */
export const HIGHEST_LATENCY_US = 3_600_000_000;

/** An HDR histogram of latencies in microseconds: 3 significant digits, fixed size (about 100 KB), whatever the request count. */
export function createLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_LATENCY_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    autoResize: false,
    useWebAssembly: false,
  });
}

/** Records a latency, rounded to a whole microsecond and clamped to [0, HIGHEST_LATENCY_US]. */
export function recordLatencyUs(histogram: Histogram, latencyUs: number): void {
  histogram.recordValue(Math.min(HIGHEST_LATENCY_US, Math.max(0, Math.round(latencyUs))));
}
