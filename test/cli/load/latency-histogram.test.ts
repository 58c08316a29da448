import { build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, HIGHEST_LATENCY_US } from '../../../cli/load/latency-histogram.js';

describe('createLatencyHistogram', () => {
  it('makes, from the class imported by path, the histogram build() makes (so an upgrade that moves it fails here)', () => {
    const ours = createLatencyHistogram();
    const built = build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_LATENCY_US, numberOfSignificantValueDigits: 3, bitBucketSize: 32, autoResize: false, useWebAssembly: false });
    expect(ours.constructor).toBe(built.constructor);
    expect(ours.autoResize).toBe(false);
    expect(ours.estimatedFootprintInBytes).toBe(built.estimatedFootprintInBytes);
    for (const value of [1, 999, 1_000, 123_456, HIGHEST_LATENCY_US]) {
      ours.recordValue(value);
      built.recordValue(value);
    }
    expect(ours.getValueAtPercentile(50)).toBe(built.getValueAtPercentile(50));
    expect(ours.maxValue).toBe(built.maxValue);
  });
});
