import { describe, expect, it } from 'vitest';

import { seededRandom } from '../../../balancer/algorithms/index.js';
import { backoffCeilingMs, fullJitterMs, waitAtLeast } from '../../../balancer/data-path/backoff.js';

describe('exponential backoff with full jitter', () => {
  it('doubles the ceiling from the base up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((i) => backoffCeilingMs(25, 250, i))).toEqual([25, 50, 100, 200, 250, 250, 250]);
  });

  it('draws each wait in [0, ceiling) from the injected random source', () => {
    expect([0, 1, 2, 3].map((i) => fullJitterMs(() => 0.5, 20, 80, i))).toEqual([10, 20, 40, 40]);
    expect(fullJitterMs(() => 0, 25, 250, 3)).toBe(0);
    expect(fullJitterMs(() => 0.999_999, 25, 250, 3)).toBe(199);
    const a = seededRandom(7);
    const b = seededRandom(7);
    const waits = Array.from({ length: 20 }, (_, i) => fullJitterMs(a, 25, 250, i));
    expect(Array.from({ length: 20 }, (_, i) => fullJitterMs(b, 25, 250, i))).toEqual(waits);
    waits.forEach((waitMs, i) => expect(waitMs).toBeLessThan(backoffCeilingMs(25, 250, i)));
  });

  it('waitAtLeast calls back once the clock has moved by the wait, re-arming when a timer fires early', async () => {
    // A clock at half speed: every timer fires "early" by it, so the wait is re-armed until the clock has moved 10 ms.
    const now = (): number => performance.now() / 2;
    const startedAt = now();
    await new Promise<void>((resolve) => waitAtLeast(10, now, resolve));
    expect(now() - startedAt).toBeGreaterThanOrEqual(10);

    let called = false;
    const wait = waitAtLeast(5, () => performance.now(), () => (called = true));
    wait.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(called).toBe(false);
  });
});
