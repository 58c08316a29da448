import { describe, expect, it } from 'vitest';
import { waitUntil, waitUntilOrFalse, WaitTimeoutError, type WaitClock } from '../../../cli/lab/wait-until.js';

/** A clock that only moves when the wait sleeps. */
function fakeClock(): WaitClock & { slept: number[] } {
  let nowMs = 1_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => nowMs,
    sleep: (ms) => {
      slept.push(ms);
      nowMs += ms;
      return Promise.resolve();
    },
  };
}

describe('waitUntil', () => {
  it('returns the first value that is neither undefined nor false', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await waitUntil(() => (++calls < 3 ? false : `ready after ${calls}`), { timeoutMs: 1_000, intervalMs: 50, what: 'x', clock });
    expect(value).toBe('ready after 3');
    expect(clock.slept).toEqual([50, 50]);
  });

  it('times out with the numbers, what was awaited and the last error', async () => {
    const clock = fakeClock();
    const wait = waitUntil(
      () => {
        throw new Error('connect ECONNREFUSED');
      },
      { timeoutMs: 120, intervalMs: 50, what: 'the admin API', clock },
    );
    await expect(wait).rejects.toThrow(WaitTimeoutError);
    await expect(wait).rejects.toMatchObject({
      code: 'LBLAB_WAIT_TIMEOUT',
      timeoutMs: 120,
      intervalMs: 50,
      attempts: 4,
      message: 'timed out after 120 ms (4 checks, every 50 ms) waiting for the admin API (last error: connect ECONNREFUSED)',
    });
    // The last sleep is cut to the deadline, and one check runs at it.
    expect(clock.slept).toEqual([50, 50, 20]);
  });

  it('rethrows at once an error isFatal picks', async () => {
    const clock = fakeClock();
    const fatal = new Error('exited');
    await expect(waitUntil(() => Promise.reject(fatal), { timeoutMs: 1_000, what: 'x', clock, isFatal: (e) => e === fatal })).rejects.toBe(fatal);
    expect(clock.slept).toEqual([]);
  });

  it('waitUntilOrFalse answers false at the deadline', async () => {
    const clock = fakeClock();
    await expect(waitUntilOrFalse(() => false, { timeoutMs: 100, intervalMs: 40, what: 'x', clock })).resolves.toBe(false);
    await expect(waitUntilOrFalse(() => true, { timeoutMs: 100, what: 'x', clock })).resolves.toBe(true);
  });

  it('waits on real timers by default', async () => {
    const startedMs = Date.now();
    await expect(waitUntil(() => Date.now() - startedMs >= 30 || undefined, { timeoutMs: 5_000, intervalMs: 10, what: 'x' })).resolves.toBe(true);
  });
});
