import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../cli/report/run-summary.js';
import { comparisonWarnings, formatPassTable, formatRunComparison, readRunSummary } from '../../../cli/report/compare-runs.js';

function summary(algorithm: string, requests: number, p99Ms: number, shares: Record<string, number>, runtime: string): RunSummary {
  return {
    scenario: 'distribution-1k',
    seed: 1,
    lab: { algorithm, servers: Object.keys(shares), runtime },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1000,
    totals: { requests, errors: 0, dropped: 0, cancelled: 0, ratePerSec: requests },
    servers: Object.entries(shares).map(([name, share]) => ({ name, requests: Math.round(share * requests), share, errors: 0, p50Ms: 1, p90Ms: 2, p99Ms, maxMs: 9 })),
    statuses: { '200': requests },
    errorCodes: {},
    latency: { p50Ms: 1, p90Ms: 2, p99Ms, maxMs: 9, meanMs: 1 },
    series: [],
    actions: [],
    healthChanges: [],
    thresholds: [],
  };
}

const a = summary('round-robin', 1000, 4, { server1: 0.334, server2: 0.333, server3: 0.333 }, 'process');
const b = summary('consistent-hash', 1000, 5, { server1: 0.4, server2: 0.25, server3: 0.35 }, 'docker');

describe('formatRunComparison', () => {
  it('puts totals and servers side by side with the change from A to B', () => {
    expect(formatRunComparison({ label: 'runA', summary: a }, { label: 'runB', summary: b })).toBe(
      [
        'warning: the runs differ in runtime (A: process, B: docker); differences below may come from that',
        '                         A                B        change',
        'run                   runA             runB',
        'scenario   distribution-1k  distribution-1k',
        'runtime            process           docker',
        'balancer             lblab            lblab',
        'algorithm      round-robin  consistent-hash',
        'seed                     1                1',
        'duration                1s               1s          0.0s',
        'requests             1,000            1,000             0',
        'errors                   0                0             0',
        'req/s              1,000.0          1,000.0      0.0 (0%)',
        'p50 ms                1.00             1.00     0.00 (0%)',
        'p90 ms                2.00             2.00     0.00 (0%)',
        'p99 ms                4.00             5.00  +1.00 (+25%)',
        'max ms                9.00             9.00     0.00 (0%)',
        '',
        'server   A requests  A share  A p99 ms  B requests  B share  B p99 ms  share change    p99 change',
        'server1         334    33.4%      4.00         400    40.0%      5.00       +6.6 pp  +1.00 (+25%)',
        'server2         333    33.3%      4.00         250    25.0%      5.00       -8.3 pp  +1.00 (+25%)',
        'server3         333    33.3%      4.00         350    35.0%      5.00       +1.7 pp  +1.00 (+25%)',
        '',
      ].join('\n'),
    );
  });
});

describe('comparisonWarnings', () => {
  it('warns for each of scenario, runtime, balancer and seed that differs', () => {
    const other = { ...b, scenario: 'kill-revive', seed: 2, balancer: { kind: 'haproxy', version: '2.8' } };
    expect(comparisonWarnings(a, other).map((line) => line.split(' (')[0])).toEqual([
      'warning: the runs differ in scenario',
      'warning: the runs differ in runtime',
      'warning: the runs differ in balancer',
      'warning: the runs differ in seed',
    ]);
    expect(comparisonWarnings(a, a)).toEqual([]);
  });
});

describe('formatPassTable', () => {
  it('shows one row per algorithm', () => {
    expect(formatPassTable([a, b]).split('\n')).toEqual([
      'algorithm        requests    req/s  errors  p50 ms  p99 ms  p99.9 ms  server1  server2  server3',
      'round-robin         1,000  1,000.0       0    1.00    4.00      4.00    33.4%    33.3%    33.3%',
      'consistent-hash     1,000  1,000.0       0    1.00    5.00      5.00    40.0%    25.0%    35.0%',
      '',
    ]);
  });
});

describe('readRunSummary', () => {
  it('reads a results folder or its summary.json, and says what is wrong otherwise', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-compare-'));
    try {
      await writeFile(path.join(dir, 'summary.json'), JSON.stringify(a));
      await writeFile(path.join(dir, 'other.json'), '{"hello": 1}');
      expect(await readRunSummary(dir)).toEqual(a);
      expect(await readRunSummary(path.join(dir, 'summary.json'))).toEqual(a);
      await expect(readRunSummary(path.join(dir, 'other.json'))).rejects.toThrow(`${path.join(dir, 'other.json')} is not an lblab summary.json (no totals.requests or servers)`);
      await expect(readRunSummary(path.join(dir, 'missing'))).rejects.toThrow(
        `cannot read ${path.join(dir, 'missing')}: ENOENT; give a results folder (results/<time>-<scenario>) or its summary.json`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
