import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../cli/load/request-log.js';
import { analyseFailover } from '../../../cli/report/analysis/failover-analysis.js';
import { analyseRemap, keyOf } from '../../../cli/report/analysis/remap-analysis.js';
import { bucketWidthMs, buildTimeline } from '../../../cli/report/analysis/timeline-buckets.js';

function entry(startMs: number, server: string, status = 200, path = '/'): RequestLogEntry {
  return { startMs, endMs: startMs + 5, path, server, status };
}

describe('timeline buckets', () => {
  it('sizes buckets to the run: 50–100 per run, never under 20 ms or over 1 s, at least 20 responses each on average', () => {
    expect(bucketWidthMs(1_100, 300)).toBe(20);
    expect(bucketWidthMs(2_500, 1_000)).toBe(50);
    expect(bucketWidthMs(12_000, 2_400)).toBe(200);
    expect(bucketWidthMs(600_000, 1e6)).toBe(1_000);
  });

  it('counts every response, and the last partial bucket is over its real width', () => {
    const entries = Array.from({ length: 300 }, (_, i) => entry(i * 3.5, `server${(i % 3) + 1}`));
    const timeline = buildTimeline(entries, 1_060, 300);
    const counted = timeline.buckets.reduce((sum, b) => sum + Object.values(b.byServer).reduce((a, c) => a + c, 0), 0);
    expect(counted).toBe(300);
    const last = timeline.buckets.at(-1);
    expect(last?.startMs).toBe(1_040);
    expect(last?.widthMs).toBe(20);
    expect(timeline.buckets.length).toBeGreaterThanOrEqual(50);
  });

  it('names the balancer\'s own 5xx answers', () => {
    const timeline = buildTimeline([entry(0, '(none)', 503), entry(1, 'server1', 500), entry(2, '(no response)', 0)], 1_000, 3);
    expect(timeline.buckets[0]).toMatchObject({ errors: 3, balancerAnswers: { '503': 1 } });
  });
});

describe('failover analysis', () => {
  it('measures marked down, last response and the errors leaked in between; then marked up and first response', () => {
    const entries = [
      entry(900, 'server2'),
      entry(1_100, 'server2'), // answered after the kill (in flight)
      entry(1_150, '(none)', 502),
      entry(1_300, '(none)', 502),
      entry(1_600, '(none)', 502), // after marked down: not leaked by this kill
      entry(5_500, 'server2'),
    ];
    const rows = analyseFailover({
      actions: [
        { atMs: 1_000, action: 'kill', target: 'server2' },
        { atMs: 5_000, action: 'revive', target: 'server2' },
      ],
      healthChanges: [
        { atMs: 1_400, server: 'server2', health: 'down' },
        { atMs: 5_300, server: 'server2', health: 'up' },
      ],
      entries: () => entries,
      durationMs: 6_000,
    });
    expect(rows).toEqual([
      { atMs: 1_000, action: 'kill', server: 'server2', direction: 'down', markedMs: 400, servedMs: 105, errorsLeaked: 2, leakedStatuses: { '502': 2 }, windowEndMs: 400 },
      { atMs: 5_000, action: 'revive', server: 'server2', direction: 'up', markedMs: 300, servedMs: 505, errorsLeaked: 0, leakedStatuses: {}, windowEndMs: null },
    ]);
  });
});

describe('remap meter', () => {
  it('reads keys from paths', () => {
    expect(keyOf('/home?x=1&id=42', 'id')).toBe('42');
    expect(keyOf('/home', 'id')).toBeUndefined();
  });

  it('counts the keys that moved at an add, and whether they went to the added server', () => {
    const before = ['1', '2', '3', '4'].map((k, i) => entry(i * 10, k === '4' ? 'server2' : 'server1', 200, `/h?id=${k}`));
    const after = [
      entry(2_000, 'server4', 200, '/h?id=1'),
      entry(2_010, 'server1', 200, '/h?id=2'),
      entry(2_020, 'server1', 200, '/h?id=3'),
      entry(2_030, 'server3', 200, '/h?id=4'),
    ];
    const [row] = analyseRemap({ actions: [{ atMs: 1_000, action: 'add', target: 'server4' }], servers: ['server1', 'server2', 'server3'], keyParam: 'id', entries: () => [...before, ...after] });
    expect(row).toEqual({ atMs: 1_000, action: 'add', server: 'server4', keysCompared: 4, keysMoved: 2, movedFraction: 0.5, movedViaChanged: 1, idealFraction: 0.25, serversAfter: 4 });
  });
});
