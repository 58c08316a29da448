import { describe, expect, it } from 'vitest';
import { balancerRows, detectionTimesMs, formatBalancerTable } from '../../../cli/report/balancers-table.js';
import type { RunSummary } from '../../../cli/report/run-summary.js';

function pass(balancer: RunSummary['balancer'], healthChanges: RunSummary['healthChanges'], errors: number): RunSummary {
  return {
    scenario: 'balancers',
    seed: 1,
    lab: { algorithm: 'round-robin', servers: ['server1', 'server2', 'server3'] },
    ...(balancer === undefined ? {} : { balancer }),
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12_000,
    totals: { requests: 2400, errors, dropped: 0, cancelled: 0, ratePerSec: 200 },
    servers: [],
    statuses: {},
    errorCodes: {},
    latency: { p50Ms: 2.5, p90Ms: 5, p99Ms: 40.25, maxMs: 90, meanMs: 3 },
    series: [],
    actions: [
      { atMs: 3000, action: 'kill', target: 'server2' },
      { atMs: 8000, action: 'revive', target: 'server2' },
    ],
    healthChanges,
    thresholds: [],
  };
}

describe('the balancers table', () => {
  it('times each kill to the first down of that server after it', () => {
    expect(
      detectionTimesMs(
        pass(undefined, [
          { atMs: 1000, server: 'server2', health: 'down' },
          { atMs: 3300, server: 'server1', health: 'down' },
          { atMs: 3420, server: 'server2', health: 'down' },
          { atMs: 9000, server: 'server2', health: 'up' },
        ], 0),
      ),
    ).toEqual([420]);
    expect(detectionTimesMs(pass(undefined, [], 0))).toBeUndefined();
  });

  it('has a row per balancer; nginx, with no health changes, shows passive', () => {
    const rows = balancerRows([
      pass(undefined, [{ atMs: 3250, server: 'server2', health: 'down' }], 3),
      pass({ kind: 'haproxy', version: 'HAProxy 2.6.12' }, [{ atMs: 3320, server: 'server2', health: 'down' }], 0),
      pass({ kind: 'nginx', version: 'nginx 1.22.1' }, [], 0),
    ]);
    expect(rows.map((row) => [row.balancer, row.detectionMs, row.errors])).toEqual([
      ['lblab', [250], 3],
      ['haproxy', [320], 0],
      ['nginx', undefined, 0],
    ]);
    const table = formatBalancerTable(rows).split('\n');
    expect(table[0]).toMatch(/^BALANCER\s+VERSION\s+DETECTION MS\s+ERRORS LEAKED\s+REQUESTS\s+P50 MS\s+P99 MS\s+REQ\/S$/);
    expect(table[3]).toMatch(/^nginx\s+nginx 1\.22\.1\s+n\/a \(passive\)\s+0\s+2,400\s+2\.5\s+40\.3\s+200\.0$/);
  });
});
