import { describe, expect, it } from 'vitest';
import type { LoadResult } from '../../../cli/load/load-result.js';
import { buildSummary } from '../../../cli/report/summary.js';
import { realisticSummary } from './fixtures/realistic-run.js';

const latency = (p99Ms: number) => ({ p50Ms: 1, p90Ms: 2, p99Ms, maxMs: p99Ms * 2, meanMs: 1.5 });

function handBuiltResult(): LoadResult {
  return {
    requests: 9,
    errors: 2,
    dropped: 1,
    cancelled: 0,
    scheduled: 10,
    durationMs: 1500,
    byServer: {
      server10: { requests: 3, errors: 0, latency: latency(10) },
      '(no response)': { requests: 1, errors: 1, latency: latency(0) },
      server2: { requests: 3, errors: 1, latency: latency(20) },
      server1: { requests: 2, errors: 0, latency: latency(30) },
    },
    byStatus: { '500': 1, '200': 7, error: 1 },
    byErrorCode: { ECONNREFUSED: 1 },
    latency: latency(25),
    ticks: [
      { atMs: 1000, intervalMs: 1000, byServer: { server1: 2, server2: 1 }, errors: 0, byStatus: { '200': 3 }, latency: { p50Ms: 1, p90Ms: 2, p99Ms: 3, maxMs: 4 }, totalRequests: 3, totalErrors: 0 },
      { atMs: 1500, intervalMs: 500, byServer: { server2: 2, server10: 3, '(no response)': 1 }, errors: 2, byStatus: { '200': 4, '500': 1, error: 1 }, latency: { p50Ms: 5, p90Ms: 6, p99Ms: 7, maxMs: 8 }, totalRequests: 9, totalErrors: 2 },
    ],
  };
}

describe('buildSummary', () => {
  const summary = buildSummary({
    result: handBuiltResult(),
    scenario: 'distribution-1k',
    seed: 7,
    lab: { algorithm: 'round-robin', servers: ['server1', 'server2', 'server3', 'server10'] },
    startedAt: new Date('2025-03-04T05:06:07.000Z'),
    actions: [{ atMs: 1200, action: 'revive', target: 'server3' }, { atMs: 200, action: 'kill', target: 'server3' }],
    healthChanges: [{ atMs: 700, server: 'server3', health: 'down' }],
  });

  it('sorts servers naturally, with lab servers that got nothing and the buckets last', () => {
    expect(summary.servers.map((s) => s.name)).toEqual(['server1', 'server2', 'server3', 'server10', '(no response)']);
  });

  it('gives exact counts, shares (4 decimals) and latencies per server', () => {
    expect(summary.servers).toEqual([
      { name: 'server1', requests: 2, share: 0.2222, errors: 0, p50Ms: 1, p90Ms: 2, p99Ms: 30, maxMs: 60 },
      { name: 'server2', requests: 3, share: 0.3333, errors: 1, p50Ms: 1, p90Ms: 2, p99Ms: 20, maxMs: 40 },
      { name: 'server3', requests: 0, share: 0, errors: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 },
      { name: 'server10', requests: 3, share: 0.3333, errors: 0, p50Ms: 1, p90Ms: 2, p99Ms: 10, maxMs: 20 },
      { name: '(no response)', requests: 1, share: 0.1111, errors: 1, p50Ms: 1, p90Ms: 2, p99Ms: 0, maxMs: 0 },
    ]);
  });

  it('has totals that the per-server counts add up to exactly', () => {
    expect(summary.totals).toEqual({ requests: 9, errors: 2, dropped: 1, cancelled: 0, ratePerSec: 6 });
    expect(summary.servers.reduce((sum, s) => sum + s.requests, 0)).toBe(summary.totals.requests);
    expect(summary.servers.reduce((sum, s) => sum + s.errors, 0)).toBe(summary.totals.errors);
  });

  it('copies the run description, statuses and latency', () => {
    expect(summary).toMatchObject({
      scenario: 'distribution-1k',
      seed: 7,
      lab: { algorithm: 'round-robin' },
      startedAt: '2025-03-04T05:06:07.000Z',
      durationMs: 1500,
      statuses: { '200': 7, '500': 1, error: 1 },
      errorCodes: { ECONNREFUSED: 1 },
      latency: latency(25),
      thresholds: [],
    });
  });

  it('sorts actions and health changes by time', () => {
    expect(summary.actions.map((a) => a.atMs)).toEqual([200, 1200]);
    expect(summary.healthChanges).toEqual([{ atMs: 700, server: 'server3', health: 'down' }]);
  });

  it('has one series point per tick with every server present', () => {
    expect(summary.series).toEqual([
      { atMs: 1000, intervalMs: 1000, byServer: { server1: 2, server2: 1, server3: 0, server10: 0, '(no response)': 0 }, requests: 3, errors: 0, p50Ms: 1, p90Ms: 2, p99Ms: 3 },
      { atMs: 1500, intervalMs: 500, byServer: { server1: 0, server2: 2, server3: 0, server10: 3, '(no response)': 1 }, requests: 6, errors: 2, p50Ms: 5, p90Ms: 6, p99Ms: 7 },
    ]);
  });

  it('defaults seed to null and survives a JSON round trip', () => {
    const minimal = buildSummary({ result: handBuiltResult(), scenario: 's', lab: { algorithm: 'random', servers: [] }, startedAt: '2025-01-01T00:00:00.000Z' });
    expect(minimal.seed).toBeNull();
    expect(JSON.parse(JSON.stringify(minimal))).toEqual(minimal);
  });

  it('adds up for the realistic fixture too', () => {
    const realistic = realisticSummary();
    expect(realistic.servers.reduce((sum, s) => sum + s.requests, 0)).toBe(realistic.totals.requests);
    expect(realistic.series.reduce((sum, p) => sum + p.requests, 0)).toBe(realistic.totals.requests);
  });
});
