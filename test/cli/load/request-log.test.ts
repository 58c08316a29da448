import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANCELLED_STATUS, NO_RESPONSE_STATUS, RequestLog, type RequestLogEntry } from '../../../cli/load/request-log.js';

const entry = fc.record({
  startMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
  endMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
  path: fc.constantFrom('/home', '/home?id=1', '/home?id=2', '/slow'),
  server: fc.constantFrom('server1', 'server2', '(none)', '(no response)'),
  status: fc.constantFrom(200, 404, 503, NO_RESPONSE_STATUS, CANCELLED_STATUS),
});

describe('RequestLog', () => {
  it('gives back every entry it recorded, in order, across its growth', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 9000 }), (entries: RequestLogEntry[]) => {
        const log = new RequestLog();
        for (const e of entries) log.record(e.startMs, e.endMs, e.path, e.server, e.status);
        expect(log.size).toBe(entries.length);
        expect([...log.entries()]).toEqual(entries);
      }),
      { numRuns: 20 },
    );
  });

  it('adds the offset to the times', () => {
    const log = new RequestLog();
    log.record(1.5, 2.25, '/home', 'server1', 200);
    expect([...log.entries(1000)]).toEqual([{ startMs: 1001.5, endMs: 1002.25, path: '/home', server: 'server1', status: 200 }]);
  });

  it('stores up to its capacity and counts the rest as overflow', () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++) log.record(i, i + 1, '/home', 'server1', 200);
    expect(log.size).toBe(3);
    expect(log.overflow).toBe(2);
    expect([...log.entries()].map((e) => e.startMs)).toEqual([0, 1, 2]);
  });
});
