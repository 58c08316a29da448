import { createRequire } from 'node:module';
import type { Histogram } from 'hdr-histogram-js';

// The one histogram class used, by path: the package's index also loads its
// WebAssembly build (pako, a base64 module), some 40 ms of start-up and 15 MB
// of memory for code never run here. Required, not imported: an `import` of
// this CommonJS file gives `exports` under Node but `exports.default` under
// Vite. test/load/latency-histogram.test.ts checks it is the class build() picks.
const require = createRequire(import.meta.url);
const { default: Int32Histogram } = require('hdr-histogram-js/dist/Int32Histogram.js') as typeof import('hdr-histogram-js/dist/Int32Histogram.js');

/** Highest latency a histogram tracks: one hour, in microseconds. Larger values are recorded as this. */
export const HIGHEST_LATENCY_US = 3_600_000_000;

/** An HDR histogram of latencies in microseconds: 3 significant digits, 32-bit counts, fixed size (about 100 KB), whatever the request count. */
export function createLatencyHistogram(): Histogram {
  // What build({ bitBucketSize: 32, autoResize: false, useWebAssembly: false }) makes.
  const histogram = new Int32Histogram(1, HIGHEST_LATENCY_US, 3);
  histogram.autoResize = false;
  return histogram;
}

/** Records a latency, rounded to a whole microsecond and clamped to [0, HIGHEST_LATENCY_US]. */
export function recordLatencyUs(histogram: Histogram, latencyUs: number): void {
  histogram.recordValue(Math.min(HIGHEST_LATENCY_US, Math.max(0, Math.round(latencyUs))));
}
