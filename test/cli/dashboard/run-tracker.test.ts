import { describe, expect, test } from 'vitest';
import { applyProgress, applySummary, applyTick, initialRunState, overlayRun } from '../../../cli/dashboard/run-tracker.js';
import type { LoadTick } from '../../../cli/load/types.js';
import { T0, labState, serverRow } from './fixtures.js';

function tick(atMs: number, byServer: Record<string, number>, errors = 0, totalRequests = 0, totalErrors = 0): LoadTick {
  return {
    atMs,
    intervalMs: 1000,
    byServer,
    errors,
    byStatus: {},
    latency: { p50Ms: 2, p90Ms: 4, p99Ms: 9, maxMs: 12 },
    totalRequests,
    totalErrors,
  };
}

describe('run tracker', () => {
  test('traffic comes from the ticks, health and states from the lab', () => {
    let run = initialRunState('demo');
    run = applyTick(run, tick(1000, { server1: 50, server2: 50 }, 0, 100));
    run = applyTick(run, tick(2000, { server1: 90, '(no response)': 10 }, 10, 200, 10));
    const lab = labState({ servers: [serverRow('server1', { requests: 99_999 }), serverRow('server2', { health: 'down', state: 'stopped' })] });
    const state = overlayRun(lab, run, T0);

    expect(state.totals).toMatchObject({ ratePerSec: 100, errorRate: 0.1, requests: 200, errors: 10 });
    expect(state.latency).toEqual({ p50Ms: 2, p99Ms: 9 });
    expect(state.servers.map((s) => [s.name, s.health, s.requests, s.ratePerSec, s.share, s.rateHistory])).toEqual([
      ['server1', 'up', 140, 90, 1, [50, 90]],
      ['server2', 'down', 50, 0, 0, [50, 0]],
    ]);
    expect(state.run?.scenario).toBe('demo');
  });

  test('without a lab the rows come from the ticks alone', () => {
    const run = applyTick(initialRunState('demo'), tick(1000, { server1: 30, server3: 10 }, 0, 40));
    const state = overlayRun(undefined, run, T0);
    expect(state.servers.map((s) => [s.name, s.state, s.health, s.requests, s.share])).toEqual([
      ['server1', 'unknown', 'unknown', 30, 0.75],
      ['server3', 'unknown', 'unknown', 10, 0.25],
    ]);
    expect(state.connection).toBeUndefined();
  });

  test('a new phase index closes the previous phase; the summary closes the last', () => {
    let run = initialRunState('demo');
    run = applyProgress(run, { phase: 'warmup', phaseIndex: 0, phaseCount: 2, elapsedMs: 200 });
    run = applyTick(run, tick(1000, { server1: 100 }, 2, 100, 2));
    run = applyProgress(run, { phase: 'warmup', phaseIndex: 0, phaseCount: 2, elapsedMs: 1_000 });
    run = applyProgress(run, { phase: 'chaos', phaseIndex: 1, phaseCount: 2, elapsedMs: 1_000 });
    run = applyTick(run, tick(2000, { server1: 50 }, 1, 150, 3));
    run = applySummary(
      run,
      { requests: 150, errors: 3, durationMs: 2_500, latency: { p50Ms: 2, p99Ms: 9 }, byServer: { server1: { requests: 150, errors: 3 } } },
      'results/x',
    );
    expect(run.view.finishedPhases).toEqual([
      { index: 0, name: 'warmup', durationMs: 1_000, requests: 100, errors: 2 },
      { index: 1, name: 'chaos', durationMs: 1_500, requests: 50, errors: 1 },
    ]);
    expect(run.view.resultsDir).toBe('results/x');
  });
});
