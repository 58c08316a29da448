import { describe, expect, it } from 'vitest';

import { EventLog } from '../../../balancer/admin/event-log.js';

describe('EventLog', () => {
  it('keeps the last `capacity` events in order and filters by time', () => {
    const log = new EventLog(3);
    for (let at = 1; at <= 5; at++) log.push({ type: 'health', at });
    expect(log.since(0).map((e) => e.at)).toEqual([3, 4, 5]);
    expect(log.since(4).map((e) => e.at)).toEqual([4, 5]);
  });

  it('delivers to subscribers until they unsubscribe', () => {
    const log = new EventLog();
    const got: number[] = [];
    const unsubscribe = log.subscribe((event) => got.push(event.at));
    log.push({ type: 'added', at: 1 });
    unsubscribe();
    log.push({ type: 'added', at: 2 });
    expect(got).toEqual([1]);
    expect(log.subscriberCount).toBe(0);
  });
});
