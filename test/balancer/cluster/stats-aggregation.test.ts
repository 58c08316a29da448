import { describe, expect, it } from 'vitest';

import type { BalancerStats, ServerStats } from '../../../balancer/api-types.js';
import { aggregateStats } from '../../../balancer/cluster/stats-aggregation.js';

function server(name: string, fields: Partial<ServerStats> = {}): ServerStats {
  return {
    name,
    url: `http://127.0.0.1:1/${name}`,
    weight: 1,
    health: 'up',
    requests: 0,
    successes: 0,
    errors: 0,
    inFlight: 0,
    avgLatencyMs: 0,
    p99LatencyMs: 0,
    healthChangedAt: 1,
    ...fields,
  };
}

function stats(servers: ServerStats[], fields: Partial<BalancerStats> = {}): BalancerStats {
  const requests = servers.reduce((n, s) => n + s.requests, 0);
  return { algorithm: 'round-robin', uptimeMs: 1_000, totals: { requests, errors: 0, inFlight: 0 }, servers, ...fields };
}

const resilience = { retries: 1, retryBudgetRefusals: 0, retriesActive: 0, fanoutSuccesses: 2, fanoutFailures: 0, fanoutRounds: 2, ejections: 1 };

describe('aggregateStats', () => {
  it("sums every worker's counters under the primary's servers and health", () => {
    const primary = stats([server('s1'), server('s2', { health: 'down' })], { algorithm: 'maglev', uptimeMs: 5_000 });
    const merged = aggregateStats(primary, [
      { worker: 1, pid: 11, restarts: 0, stats: stats([server('s1', { requests: 3, successes: 3, avgLatencyMs: 2, p99LatencyMs: 4 }), server('s2', { requests: 1, errors: 1 })], { resilience }) },
      { worker: 2, pid: 12, restarts: 1, stats: stats([server('s1', { requests: 1, successes: 1, avgLatencyMs: 6, p99LatencyMs: 9, inFlight: 2 })], { resilience }) },
    ]);
    expect(merged.algorithm).toBe('maglev');
    expect(merged.uptimeMs).toBe(5_000);
    expect(merged.totals.requests).toBe(5);
    expect(merged.servers.map((s) => [s.name, s.health, s.requests, s.successes, s.errors, s.inFlight])).toEqual([
      ['s1', 'up', 4, 4, 0, 2],
      ['s2', 'down', 1, 0, 1, 0],
    ]);
    expect(merged.servers[0]?.avgLatencyMs).toBe(3);
    expect(merged.servers[0]?.p99LatencyMs).toBe(9);
    expect(merged.resilience).toEqual({ retries: 2, retryBudgetRefusals: 0, retriesActive: 0, fanoutSuccesses: 4, fanoutFailures: 0, fanoutRounds: 4, ejections: 2 });
    expect(merged.workers).toEqual([
      { worker: 1, pid: 11, requests: 4, inFlight: 0, restarts: 0, answered: true },
      { worker: 2, pid: 12, requests: 1, inFlight: 0, restarts: 1, answered: true },
    ]);
  });

  it('leaves out a worker that did not answer, and says so', () => {
    const merged = aggregateStats(stats([server('s1')]), [
      { worker: 1, pid: 11, restarts: 0, stats: stats([server('s1', { requests: 7 })]) },
      { worker: 2, pid: 0, restarts: 2, stats: undefined },
    ]);
    expect(merged.totals.requests).toBe(7);
    expect(merged.workers?.[1]).toEqual({ worker: 2, pid: 0, requests: 0, inFlight: 0, restarts: 2, answered: false });
  });

  it('shows a server one worker ejected as ejected until the latest end', () => {
    const merged = aggregateStats(stats([server('s1')]), [
      { worker: 1, pid: 11, restarts: 0, stats: stats([server('s1', { health: 'ejected', ejectedUntil: 500 })]) },
      { worker: 2, pid: 12, restarts: 0, stats: stats([server('s1')]) },
    ]);
    expect(merged.servers[0]?.health).toBe('ejected');
    expect(merged.servers[0]?.ejectedUntil).toBe(500);
  });

  it("takes the busiest worker's event loop", () => {
    const loop = (u: number, delay: number, saturated: boolean) => ({ eventLoopUtilization: u, eventLoopDelayP99Ms: delay, windowMs: 1_000, saturated });
    const merged = aggregateStats(stats([]), [
      { worker: 1, pid: 11, restarts: 0, stats: stats([], { saturation: loop(0.9, 3, false) }) },
      { worker: 2, pid: 12, restarts: 0, stats: stats([], { saturation: loop(0.2, 80, true) }) },
    ]);
    expect(merged.saturation).toEqual(loop(0.9, 80, true));
  });
});
