import { describe, expect, it } from 'vitest';

import { LATENCY_WINDOW, LatencyTracker } from '../../../balancer/upstreams/latency-tracker.js';

describe('LatencyTracker', () => {
  it('is all zero with no samples', () => {
    const tracker = new LatencyTracker();
    expect([tracker.ewmaMs, tracker.averageMs(), tracker.p99Ms()]).toEqual([0, 0, 0]);
  });

  it('keeps an EWMA that starts at the first sample, the average, and the p99', () => {
    const tracker = new LatencyTracker({ ewmaAlpha: 0.5 });
    tracker.record(10);
    expect(tracker.ewmaMs).toBe(10);
    tracker.record(20);
    expect(tracker.ewmaMs).toBe(15);
    expect(tracker.averageMs()).toBe(15);

    const many = new LatencyTracker();
    for (let ms = 1; ms <= 100; ms++) many.record(ms);
    expect(many.p99Ms()).toBe(99);
    expect(many.averageMs()).toBe(50.5);
  });

  it('computes the p99 over the most recent window only (bounded memory)', () => {
    const tracker = new LatencyTracker();
    for (let i = 0; i < LATENCY_WINDOW; i++) tracker.record(1_000);
    for (let i = 0; i < LATENCY_WINDOW; i++) tracker.record(5);
    expect(tracker.p99Ms()).toBe(5);
    expect(tracker.samples).toBe(2 * LATENCY_WINDOW);
  });
});
