import { describe, expect, it } from 'vitest';
import type { Histogram } from 'hdr-histogram-js';
import { LoadRecorder } from '../../../cli/load/load-recorder.js';
import { mergeLoadSegments, shiftTick, type LoadSegment } from '../../../cli/scenario/merge-load-results.js';

/** A phase as the load generator would record it: `latenciesMs` per server, one tick per call of `tick`. */
function segment(offsetMs: number, ticks: Record<string, number[]>[], failures = 0): LoadSegment {
  const recorder = new LoadRecorder();
  const recorded = [];
  for (const [index, tick] of ticks.entries()) {
    for (const [server, latencies] of Object.entries(tick)) {
      for (const ms of latencies) recorder.recordResponse(server, ms > 100 ? 502 : 200, ms * 1000);
    }
    if (index === ticks.length - 1) for (let i = 0; i < failures; i++) recorder.recordFailure('ECONNREFUSED');
    recorded.push(recorder.takeTick((index + 1) * 1000, 1000, 0));
  }
  const result = recorder.result(ticks.length * 1000, 0, recorded);
  const byServer = new Map<string, Histogram>();
  for (const [name, counts] of recorder.byServer) byServer.set(name, counts.histogram);
  return { offsetMs, result, histograms: { overall: recorder.overall, byServer } };
}

describe('mergeLoadSegments', () => {
  const first = segment(0, [{ server1: [1, 2, 3], server2: [4] }, { server1: [5], server2: [6, 7] }]);
  const second = segment(2500, [{ server2: [200, 8], server3: [9, 10] }], 2);
  const merged = mergeLoadSegments([first, second]);

  it('sums counts so servers add up to the total', () => {
    expect(merged.requests).toBe(13);
    expect(merged.errors).toBe(3);
    expect(Object.fromEntries(Object.entries(merged.byServer).map(([name, s]) => [name, [s.requests, s.errors]]))).toEqual({
      server1: [4, 0],
      server2: [5, 1],
      server3: [2, 0],
      '(no response)': [2, 2],
    });
    expect(merged.byStatus).toEqual({ '200': 10, '502': 1, error: 2 });
    expect(merged.byErrorCode).toEqual({ ECONNREFUSED: 2 });
  });

  it('merges the histograms, so percentiles are those of all the latencies', () => {
    // HDR histograms keep 3 significant digits: 6 ms reads back as 6.003.
    expect(merged.latency.maxMs).toBeCloseTo(200, 0);
    expect(merged.latency.p50Ms).toBeCloseTo(6, 1);
    expect(merged.byServer.server2?.latency.p50Ms).toBeCloseTo(7, 1);
    expect(merged.byServer.server1?.latency.maxMs).toBeCloseTo(5, 1);
  });

  it('puts the ticks on one clock, with running totals from the start', () => {
    expect(merged.ticks.map((t) => [t.atMs, t.totalRequests, t.totalErrors])).toEqual([
      [1000, 4, 0],
      [2000, 7, 0],
      [3500, 13, 3],
    ]);
    expect(merged.durationMs).toBe(3500);
  });

  it('measures times from the first segment and leaves a single segment as it is', () => {
    const late = mergeLoadSegments([segment(4000, [{ server1: [1] }]), segment(5000, [{ server1: [2] }])]);
    expect(late.ticks.map((t) => t.atMs)).toEqual([1000, 2000]);
    expect(mergeLoadSegments([first])).toBe(first.result);
  });
});

describe('shiftTick', () => {
  it('moves a tick and adds the earlier totals', () => {
    const tick = { atMs: 1000, intervalMs: 1000, byServer: {}, errors: 0, byStatus: {}, latency: { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 }, totalRequests: 5, totalErrors: 1, totalDropped: 2 };
    expect(shiftTick(tick, 3000, { requests: 10, errors: 3, dropped: 1 })).toMatchObject({ atMs: 4000, totalRequests: 15, totalErrors: 4, totalDropped: 3 });
  });
});
