import { describe, expect, it } from 'vitest';
import { sweepPlan } from '../../../cli/load/timeout-sweeper.js';

describe('sweepPlan', () => {
  it.each([
    [1, { intervalMs: 1, idleSweepLimit: 1 }],
    [15, { intervalMs: 1, idleSweepLimit: 15 }],
    [100, { intervalMs: 10, idleSweepLimit: 10 }],
    [1_234, { intervalMs: 123, idleSweepLimit: 11 }],
    [10_000, { intervalMs: 250, idleSweepLimit: 40 }],
    [86_400_000, { intervalMs: 250, idleSweepLimit: 345_600 }],
  ])('timeoutMs %d', (timeoutMs, expected) => {
    expect(sweepPlan(timeoutMs)).toEqual(expected);
  });

  it('never times out early, and at most two intervals late', () => {
    for (const timeoutMs of [1, 2, 7, 99, 100, 101, 999, 2_501, 10_000, 60_000]) {
      const { intervalMs, idleSweepLimit } = sweepPlan(timeoutMs);
      // The request times out on sweep idleSweepLimit + 1 after its last progress; the first of those sweeps comes within one interval.
      expect(idleSweepLimit * intervalMs).toBeGreaterThanOrEqual(timeoutMs);
      expect((idleSweepLimit + 1) * intervalMs).toBeLessThanOrEqual(timeoutMs + 2 * intervalMs);
    }
  });
});
