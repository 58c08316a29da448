import { afterEach, describe, expect, it } from 'vitest';
import { RequestLog } from '../../../cli/load/request-log.js';
import { runLoad } from '../../../cli/load/run-load.js';
import { formatSchedule, parseSchedule, SCHEDULE_HEADER } from '../../../cli/load/schedule-file.js';
import { startTestServer, type TestServer } from './fixtures/test-server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('record and replay', () => {
  it('a replay of a recorded run sends the same count, in the same order, with the same keys', async () => {
    const target = await startTestServer({ ids: ['server1', 'server2'] });
    servers.push(target);
    const log = new RequestLog();
    const recorded = await runLoad({
      url: target.url,
      path: '/home',
      model: { kind: 'open', ratePerSec: 400, durationMs: 500 },
      keys: { param: 'id', count: 50, distribution: 'uniform' },
      seed: 42,
      requestLog: log,
    }).result;
    expect(log.size).toBe(recorded.requests);
    const sentInOrder = [...log.entries()].sort((a, b) => a.startMs - b.startMs).map((entry) => entry.path);
    // The server saw the same requests (arrival order across connections may differ).
    expect([...target.paths].sort()).toEqual([...sentInOrder].sort());
    const text = formatSchedule([...log.entries()].map((entry) => ({ entry, info: { method: 'GET', bodyBytes: 0, keyParam: 'id' } })));
    expect(text.split('\n')[0]).toBe(SCHEDULE_HEADER);
    const schedule = parseSchedule(text, 'schedule.tsv');
    expect(schedule.paths).toEqual(sentInOrder);
    expect(schedule.keys).toEqual(sentInOrder.map((path) => /id=(\d+)/.exec(path)?.[1]));
    expect(new Set(schedule.keys).size).toBeGreaterThan(10);

    target.paths.length = 0;
    const replayLog = new RequestLog();
    const replay = await runLoad({ url: target.url, model: { kind: 'replay', offsetsMs: schedule.offsetsMs, paths: schedule.paths, speed: 2 }, requestLog: replayLog }).result;
    expect(replay.requests).toBe(recorded.requests);
    expect([...replayLog.entries()].sort((a, b) => a.startMs - b.startMs).map((entry) => entry.path)).toEqual(sentInOrder);
    expect([...target.paths].sort()).toEqual([...sentInOrder].sort());
  });

  it('names the file and line of a bad schedule', () => {
    expect(() => parseSchedule(`${SCHEDULE_HEADER}\n5\tGET\t/a\t\t0\n3\tGET\t/b\t\t0\n`, 'x.tsv')).toThrow(
      'x.tsv:3: expected offset_ms (not below the line before), method, path, key, body_bytes separated by tabs, got "3\tGET\t/b\t\t0"',
    );
    expect(() => parseSchedule('hello\n', 'x.tsv')).toThrow(/x.tsv is not an lblab schedule/);
  });
});
