import { afterEach, describe, expect, it, vi } from 'vitest';

import { AdmissionQueue } from '../../../balancer/data-path/admission-queue.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('AdmissionQueue', () => {
  it('is FIFO, bounded, and cancels in O(1) from the middle', () => {
    const timedOut: string[] = [];
    const queue = new AdmissionQueue<string>({ maxLength: 3, timeoutMs: 1_000, onTimeout: (item) => timedOut.push(item) });
    queue.enqueue('a');
    const b = queue.enqueue('b');
    queue.enqueue('c');
    expect(queue.enqueue('d')).toBeUndefined();
    expect(queue.cancel(b!)).toBe(true);
    expect(queue.cancel(b!)).toBe(false);
    expect(queue.length).toBe(2);
    expect(queue.shift()).toBe('a');
    expect(queue.peek()).toBe('c');
    expect(queue.drainAll()).toEqual(['c']);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('times out waiters in order and removes them', () => {
    vi.useFakeTimers();
    const timedOut: string[] = [];
    const queue = new AdmissionQueue<string>({ maxLength: 10, timeoutMs: 100, onTimeout: (item) => timedOut.push(item) });
    queue.enqueue('a');
    vi.advanceTimersByTime(50);
    queue.enqueue('b');
    const c = queue.enqueue('c');
    queue.cancel(c!);

    vi.advanceTimersByTime(50);
    expect(timedOut).toEqual(['a']);
    vi.advanceTimersByTime(50);
    expect(timedOut).toEqual(['a', 'b']);
    expect(queue.length).toBe(0);
  });

  it('does not time out a waiter that was shifted', () => {
    vi.useFakeTimers();
    const timedOut: string[] = [];
    const queue = new AdmissionQueue<string>({ maxLength: 10, timeoutMs: 100, onTimeout: (item) => timedOut.push(item) });
    queue.enqueue('a');
    queue.shift();
    vi.advanceTimersByTime(200);
    expect(timedOut).toEqual([]);
  });
});
