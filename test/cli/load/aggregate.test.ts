import { describe, expect, it } from 'vitest';
import type { Histogram } from 'hdr-histogram-js';
import { aggregateLoad, aggregateTick, summarizeLatency } from '../../../cli/load/aggregate.js';
import { createLatencyHistogram, HIGHEST_LATENCY_US, recordLatencyUs } from '../../../cli/load/latency-histogram.js';

/** 100 values: 50 × 1 ms, 40 × 2 ms, 9 × 10 ms, 1 × 250 ms (in microseconds). */
function handBuilt(): Histogram {
  const histogram = createLatencyHistogram();
  histogram.recordValueWithCount(1000, 50);
  histogram.recordValueWithCount(2000, 40);
  histogram.recordValueWithCount(10_000, 9);
  histogram.recordValue(250_000);
  return histogram;
}

describe('summarizeLatency', () => {
  it('reads percentiles in ms with microsecond decimals (HDR: 3 significant digits)', () => {
    expect(summarizeLatency(handBuilt())).toEqual({ p50Ms: 1, p90Ms: 2, p99Ms: 10.007, maxMs: 250, meanMs: 4.701 });
  });

  it('gives zeros for an empty histogram', () => {
    expect(summarizeLatency(createLatencyHistogram())).toEqual({ p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 });
  });

  it('does not change the histogram', () => {
    const histogram = handBuilt();
    summarizeLatency(histogram);
    expect(histogram.totalCount).toBe(100);
  });
});

describe('recordLatencyUs', () => {
  it('rounds to whole microseconds and clamps to the histogram range', () => {
    const histogram = createLatencyHistogram();
    recordLatencyUs(histogram, 1499.6);
    recordLatencyUs(histogram, -3);
    recordLatencyUs(histogram, HIGHEST_LATENCY_US * 2);
    expect(histogram.totalCount).toBe(3);
    expect(histogram.getValueAtPercentile(0)).toBe(0);
    expect(histogram.maxValue).toBe(HIGHEST_LATENCY_US);
  });

  it('keeps memory bounded: the footprint does not grow with the count', () => {
    const histogram = createLatencyHistogram();
    const before = histogram.estimatedFootprintInBytes;
    for (let i = 0; i < 100_000; i += 1) recordLatencyUs(histogram, (i * 7919) % 5_000_000);
    expect(histogram.estimatedFootprintInBytes).toBe(before);
  });
});

describe('aggregateLoad', () => {
  it('sums per-server counts into totals and summarizes each histogram', () => {
    const s1 = handBuilt();
    const s2 = createLatencyHistogram();
    s2.recordValueWithCount(3000, 20);
    const overall = createLatencyHistogram();
    overall.add(s1);
    overall.add(s2);
    const result = aggregateLoad({
      durationMs: 1234,
      scheduled: 125,
      dropped: 0,
      cancelled: 0,
      byServer: new Map([
        ['server1', { requests: 100, errors: 2, histogram: s1 }],
        ['server2', { requests: 20, errors: 0, histogram: s2 }],
        ['(no response)', { requests: 5, errors: 5, histogram: createLatencyHistogram() }],
      ]),
      overall,
      byStatus: new Map([['200', 118], ['503', 2], ['error', 5]]),
      byErrorCode: new Map([['ECONNREFUSED', 5]]),
      ticks: [],
    });
    expect(result).toEqual({
      requests: 125,
      errors: 7,
      dropped: 0,
      cancelled: 0,
      scheduled: 125,
      durationMs: 1234,
      byServer: {
        server1: { requests: 100, errors: 2, latency: { p50Ms: 1, p90Ms: 2, p99Ms: 10.007, maxMs: 250, meanMs: 4.701 } },
        // 3000 µs sits in a 2 µs-wide HDR bucket: percentiles report its top, 3001 µs; max is exact.
        server2: { requests: 20, errors: 0, latency: { p50Ms: 3.001, p90Ms: 3.001, p99Ms: 3.001, maxMs: 3, meanMs: 3.001 } },
        '(no response)': { requests: 5, errors: 5, latency: { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 } },
      },
      byStatus: { '200': 118, '503': 2, error: 5 },
      byErrorCode: { ECONNREFUSED: 5 },
      latency: summarizeLatency(overall),
      ticks: [],
    });
    expect(s1.totalCount).toBe(100);
  });
});

describe('aggregateTick', () => {
  it('builds a LoadTick from one tick of counters', () => {
    const tick = aggregateTick({
      atMs: 3000,
      intervalMs: 1000,
      byServer: new Map([['server1', 60], ['server2', 40]]),
      byStatus: new Map([['200', 99], ['500', 1]]),
      errors: 1,
      dropped: 0,
      histogram: handBuilt(),
      totalRequests: 300,
      totalErrors: 4,
      totalDropped: 0,
      inFlight: 7,
    });
    expect(tick).toEqual({
      atMs: 3000,
      intervalMs: 1000,
      byServer: { server1: 60, server2: 40 },
      byStatus: { '200': 99, '500': 1 },
      errors: 1,
      latency: { p50Ms: 1, p90Ms: 2, p99Ms: 10.007, maxMs: 250 },
      totalRequests: 300,
      totalErrors: 4,
      dropped: 0,
      totalDropped: 0,
      inFlight: 7,
    });
  });
});
