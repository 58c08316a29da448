import { EventEmitter } from 'node:events';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { startRunDashboard, type TickEmitter } from '../../../cli/dashboard/run-dashboard.js';
import type { RunSummary } from '../../../cli/dashboard/dashboard-state.js';
import type { LoadRun } from '../../../cli/load/run-load.js';
import type { LoadTick } from '../../../cli/load/types.js';
import { FakeTtyIn, FakeTtyOut, asStdin, asStdout } from './fake-tty.js';
import { T0, plain } from './fixtures.js';

// Under CI (CI=true, as .ci/run sets) Ink writes only the last frame (is-in-ci, read when Ink loads);
// these tests watch the frames as a terminal shows them, so Ink must not think it runs in CI.
const savedCi = vi.hoisted(() => {
  const saved = process.env.CI;
  process.env.CI = '0';
  return saved;
});
afterAll(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
});

// The run command passes its LoadRun as it is.
const loadRunIsATickEmitter: TickEmitter = null as unknown as LoadRun;
void loadRunIsATickEmitter;

function tick(atMs: number, byServer: Record<string, number>, fields: Partial<LoadTick> = {}): LoadTick {
  const total = Object.values(byServer).reduce((a, b) => a + b, 0);
  return {
    atMs,
    intervalMs: 1000,
    byServer,
    errors: 0,
    byStatus: { '200': total },
    latency: { p50Ms: 1, p90Ms: 3, p99Ms: 5, maxMs: 9 },
    totalRequests: total * (atMs / 1000),
    totalErrors: 0,
    ...fields,
  };
}

const summary: RunSummary = {
  requests: 400,
  errors: 2,
  durationMs: 4_000,
  latency: { p50Ms: 1, p90Ms: 3, p99Ms: 5, maxMs: 9 },
  byServer: { server1: { requests: 250, errors: 0 }, server2: { requests: 148, errors: 0 }, '(no response)': { requests: 2, errors: 2 } },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('startRunDashboard, plain lines (no TTY)', () => {
  test('prints a line a second, events, finished phases, then the summary, and ends', async () => {
    vi.useFakeTimers({ now: T0 });
    const ticks = new EventEmitter<{ tick: [LoadTick] }>();
    const lines: string[] = [];
    const dashboard = startRunDashboard({ lab: undefined, scenario: 'demo', ticks, mode: 'plain', out: (line) => lines.push(line) });

    dashboard.update({ phase: 'warmup', phaseIndex: 0, phaseCount: 2, elapsedMs: 0, totalMs: 4_000 });
    ticks.emit('tick', tick(1000, { server1: 60, server2: 40 }, { errors: 1, totalErrors: 1 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lines).toEqual(['12:03:05 [warmup 1/2 0:00/0:04] 100 req/s err 1.0% p50 1.0ms p99 5.0ms | server1 60% | server2 40%']);

    dashboard.note('kill server2');
    dashboard.update({ phase: 'chaos', phaseIndex: 1, phaseCount: 2, elapsedMs: 2_000, totalMs: 4_000 });
    ticks.emit('tick', tick(2000, { server1: 100 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lines.slice(1)).toEqual([
      '12:03:05.512 kill server2',
      'phase 1 warmup done  2.0s  100 req  1 err',
      '12:03:06 [chaos 2/2 0:02/0:04] 100 req/s err 0.0% p50 1.0ms p99 5.0ms | server1 100% | server2 0%',
    ]);

    dashboard.finish(summary, 'results/demo');
    await expect(dashboard.waitUntilExit()).resolves.toEqual({ reason: 'finished' });
    const out = plain(lines.join('\n'));
    expect(out).toContain('phase 2 chaos done');
    expect(out).toContain('400 requests in 0:04  100 req/s  errors 2 (0.5%)');
    expect(out).toContain('results  results/demo');
    expect(vi.getTimerCount()).toBe(0);
    expect(ticks.listenerCount('tick')).toBe(0);
  });

  test('takes ticks from an async iterable too; close() ends it without a summary', async () => {
    let pulled = false;
    async function* source(): AsyncGenerator<LoadTick> {
      pulled = true;
      yield tick(1000, { server1: 10 });
    }
    const lines: string[] = [];
    const dashboard = startRunDashboard({ lab: undefined, scenario: 'demo', ticks: source(), mode: 'plain', out: (line) => lines.push(line) });
    await vi.waitFor(() => expect(pulled).toBe(true), { timeout: 10_000 });
    dashboard.close();
    await expect(dashboard.waitUntilExit()).resolves.toEqual({ reason: 'closed' });
  });
});

describe('startRunDashboard, Ink', () => {
  test('draws the run and ends with the summary on finish()', async () => {
    const stdout = new FakeTtyOut(80, 24);
    const stdin = new FakeTtyIn();
    const dashboard = startRunDashboard({ lab: undefined, scenario: 'demo', mode: 'tty', stdout: asStdout(stdout), stdin: asStdin(stdin) });
    dashboard.update({ phase: 'warmup', phaseIndex: 0, phaseCount: 1, elapsedMs: 1_000, totalMs: 4_000 });
    dashboard.tick(tick(1000, { server1: 60, server2: 40 }));
    await vi.waitFor(() => expect(plain(stdout.output)).toContain('server2'), { timeout: 10_000 });
    dashboard.finish(summary, 'results/demo');
    await expect(dashboard.waitUntilExit()).resolves.toEqual({ reason: 'finished' });
    const out = plain(stdout.output);
    expect(out).toContain('✔ phase 1 warmup');
    expect(out).toContain('400 requests in 0:04');
    expect(out).toContain('results  results/demo');
  });

  test('q calls onQuit and ends with reason quit', async () => {
    const stdout = new FakeTtyOut(80, 24);
    const stdin = new FakeTtyIn();
    const onQuit = vi.fn();
    const dashboard = startRunDashboard({ lab: undefined, scenario: 'demo', mode: 'tty', stdout: asStdout(stdout), stdin: asStdin(stdin), onQuit });
    dashboard.tick(tick(1000, { server1: 60 }));
    // Ink reads keys once its input effect has subscribed to stdin.
    await vi.waitFor(() => expect(stdin.listenerCount('readable')).toBeGreaterThan(0), { timeout: 10_000 });
    stdin.type('q');
    await expect(dashboard.waitUntilExit()).resolves.toEqual({ reason: 'quit' });
    expect(onQuit).toHaveBeenCalledTimes(1);
    dashboard.finish(summary, 'results/demo');
  });
});
