import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../cli/report/run-summary.js';
import { formatPassTable, formatRunComparison, readRunSummary } from '../../../cli/report/compare-runs.js';

function summary(algorithm: string, requests: number, p99Ms: number, shares: Record<string, number>): RunSummary {
  return {
    scenario: 'distribution-1k',
    seed: 1,
    lab: { algorithm, servers: Object.keys(shares) },
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

const a = summary('round-robin', 1000, 4, { server1: 0.334, server2: 0.333, server3: 0.333 });
const b = summary('consistent-hash', 1000, 5, { server1: 0.4, server2: 0.25, server3: 0.35 });

describe('formatRunComparison', () => {
  it('puts totals and servers side by side with the change from A to B', () => {
    expect(formatRunComparison({ label: 'runA', summary: a }, { label: 'runB', summary: b })).toBe(
      [
        '                         A                B        change',
        'run                   runA             runB',
        'scenario   distribution-1k  distribution-1k',
        'algorithm      round-robin  consistent-hash',
        'requests             1,000            1,000             0',
        'errors                   0                0             0',
        'req/s                 1000             1000      0.0 (0%)',
        'p50 ms                   1                1     0.00 (0%)',
        'p99 ms                   4                5  +1.00 (+25%)',
        '',
        'server   A requests  A share  A p99 ms  B requests  B share  B p99 ms  share change    p99 change',
        'server1         334    33.4%         4         400    40.0%         5       +6.6 pp  +1.00 (+25%)',
        'server2         333    33.3%         4         250    25.0%         5       -8.3 pp  +1.00 (+25%)',
        'server3         333    33.3%         4         350    35.0%         5       +1.7 pp  +1.00 (+25%)',
        '',
      ].join('\n'),
    );
  });
});

describe('formatPassTable', () => {
  it('shows one row per algorithm', () => {
    expect(formatPassTable([a, b]).split('\n')).toEqual([
      'algorithm        requests  errors  p50 ms  p99 ms  server1  server2  server3',
      'round-robin         1,000       0       1       4    33.4%    33.3%    33.3%',
      'consistent-hash     1,000       0       1       5    40.0%    25.0%    35.0%',
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
