import './force-color.js';
import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { DashboardView, screenBudget } from '../../../cli/dashboard/dashboard-view.js';
import { events, labState, servers } from './fixtures.js';
import { describe, expect, test } from 'vitest';
import { wrapWords } from '../../../cli/dashboard/format.js';
import { PhaseRequestCounter, phaseProgress } from '../../../cli/dashboard/live-view.js';
import { RunProgressLine } from '../../../cli/dashboard/run-progress.js';
import type { LoadTick } from '../../../cli/load/types.js';
import type { ScenarioPhaseInfo } from '../../../cli/scenario/run-events.js';

const info = (phaseIndex: number, offsetMs: number, scheduled: number): ScenarioPhaseInfo => ({
  passIndex: 0,
  passCount: 1,
  algorithm: 'round-robin',
  phaseIndex,
  phaseCount: 2,
  name: phaseIndex === 0 ? 'warm' : 'burst',
  description: '',
  offsetMs,
  scheduled,
});

function tick(atMs: number, inTick: number, total: number): LoadTick {
  return { atMs, intervalMs: 1000, byServer: { server1: inTick }, errors: 0, byStatus: {}, latency: { p50Ms: 1, p90Ms: 1, p99Ms: 1, maxMs: 1 }, totalRequests: total, totalErrors: 0 };
}

describe('--live progress', () => {
  test("a closed phase's progress counts its own requests, whatever came before", () => {
    const counter = new PhaseRequestCounter();
    expect(counter.done(tick(1000, 500, 500), info(0, 0, 500))).toBe(500);
    const burst = info(1, 1200, 1500);
    expect(counter.done(tick(2000, 316, 816), burst)).toBe(316);
    expect(counter.done(tick(3000, 600, 1416), burst)).toBe(916);
    const progress = phaseProgress(burst, 2000, 316);
    expect(progress).toMatchObject({ phaseElapsedMs: 800, requestsDone: 316, requestsTotal: 1500 });
    const { lastFrame } = render(<RunProgressLine progress={progress} width={80} />);
    const line = (lastFrame() ?? '').replace(/\u001b\[[0-9;]*m/g, '');
    expect(line).toMatch(/^phase 2\/2 burst {2}phase 0:00 {2}█+░+ {2} 21% of 1,500 req$/);
    expect(line.length).toBeLessThanOrEqual(80);
  });

  test('lines around the dashboard wrap at word boundaries within 80 columns', () => {
    const line = 'lab run-10389 (process runtime, started for this run): 3 factorial servers behind round-robin at http://127.0.0.1:44445';
    const wrapped = wrapWords(line, 80);
    expect(wrapped).toEqual(['lab run-10389 (process runtime, started for this run): 3 factorial servers', '  behind round-robin at http://127.0.0.1:44445']);
    expect(wrapped.every((part) => part.length <= 80)).toBe(true);
  });
});

describe('screen budget', () => {
  test('at 120×40 the event log takes every row the servers leave', () => {
    const state = labState({ servers: servers(3), events: events(40) });
    const budget = screenBudget(state, 40);
    // 39 usable rows: header 2, table header 1, caption 1, events rule 1, keys 1, spacer 1, 3 servers.
    expect(budget).toEqual({ spacer: 1, serverRows: 3, eventLines: 29 });
    const frame = renderToString(<DashboardView state={state} width={120} height={40} selected={0} actions={false} />, { columns: 120 });
    expect(frame.split('\n').length).toBe(39);
    expect(frame).toContain('REQS, ERR: since the balancer started');
  });
});
