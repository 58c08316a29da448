import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ExpiryList, type Expiring } from '../../../balancer/data-path/expiry-list.js';

function item(name: string, expired: string[]): Expiring {
  return {
    expiryAt: 0,
    expiryPrev: undefined,
    expiryNext: undefined,
    expiryListed: false,
    expire: () => expired.push(name),
  };
}

describe('ExpiryList', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires items in deadline order, also ones added out of order, each once and only when due', () => {
    const list = new ExpiryList(() => Date.now());
    const expired: string[] = [];
    const start = Date.now();
    list.add(item('b', expired), start + 200);
    list.add(item('c', expired), start + 300);
    list.add(item('a', expired), start + 100);
    list.add(item('b2', expired), start + 200);
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['a']);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(['a', 'b', 'b2', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a removed item never expires, and an empty list holds no timer', () => {
    const list = new ExpiryList(() => Date.now());
    const expired: string[] = [];
    const first = item('first', expired);
    const second = item('second', expired);
    list.add(first, Date.now() + 100);
    list.add(second, Date.now() + 200);
    list.remove(first);
    list.remove(first);
    vi.advanceTimersByTime(150);
    expect(expired).toEqual([]);
    list.remove(second);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([]);
  });

  it('an item added ahead of the head moves the timer earlier', () => {
    const list = new ExpiryList(() => Date.now());
    const expired: string[] = [];
    list.add(item('late', expired), Date.now() + 1000);
    list.add(item('early', expired), Date.now() + 10);
    vi.advanceTimersByTime(10);
    expect(expired).toEqual(['early']);
    expect(vi.getTimerCount()).toBe(1);
  });
});
