import { describe, expect, it } from 'vitest';
import type { Histogram } from 'hdr-histogram-js';
import { LoadRecorder } from '../../../cli/load/load-recorder.js';
import type { LoadSegment } from '../../../cli/scenario/merge-load-results.js';
import { buildScenarioSummaries, type PassRecord } from '../../../cli/scenario/scenario-summaries.js';

function segment(offsetMs: number, counts: Record<string, number>): LoadSegment {
  const recorder = new LoadRecorder();
  for (const [server, n] of Object.entries(counts)) for (let i = 0; i < n; i++) recorder.recordResponse(server, 200, 1000);
  const tick = recorder.takeTick(1000, 1000, 0);
  const byServer = new Map<string, Histogram>();
  for (const [name, c] of recorder.byServer) byServer.set(name, c.histogram);
  return { offsetMs, result: recorder.result(1000, 0, [tick]), histograms: { overall: recorder.overall, byServer } };
}

const servers = ['server1', 'server2'];
const pass = (algorithm: string, offsetMs: number, counts: Record<string, number>, actions: PassRecord['actions'] = []): PassRecord => ({
  algorithm,
  servers,
  startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, offsetMs / 1000)),
  offsetMs,
  segments: [segment(offsetMs, counts)],
  actions,
});

describe('buildScenarioSummaries', () => {
  it('one pass: one summary with the thresholds evaluated', () => {
    const { summary, passes } = buildScenarioSummaries({
      scenario: 's',
      seed: 3,
      lab: { app: 'factorial', runtime: 'process' },
      passes: [pass('round-robin', 0, { server1: 6, server2: 4 }, [{ atMs: 500, action: 'kill', target: 'server2' }])],
      switches: [],
      healthChanges: [{ atMs: 700, server: 'server2', health: 'down' }],
      thresholds: { maxShare: 0.5 },
    });
    expect(passes).toEqual([]);
    expect(summary).toMatchObject({
      scenario: 's',
      seed: 3,
      lab: { algorithm: 'round-robin', servers, app: 'factorial', runtime: 'process' },
      totals: { requests: 10 },
      actions: [{ atMs: 500, action: 'kill', target: 'server2' }],
      healthChanges: [{ atMs: 700, server: 'server2', health: 'down' }],
      thresholds: [{ name: 'maxShare', expected: '<= 0.5', measured: 0.6, pass: false, server: 'server1' }],
    });
  });

  it('several passes: one summary each, on its own clock, and the whole run with the switches', () => {
    const { summary, passes } = buildScenarioSummaries({
      scenario: 'algorithms',
      seed: 1,
      lab: { app: 'factorial', runtime: 'process' },
      passes: [
        pass('round-robin', 0, { server1: 5, server2: 5 }, [{ atMs: 100, action: 'kill', target: 'server2' }]),
        pass('maglev', 2000, { server1: 9, server2: 1 }, [{ atMs: 100, action: 'kill', target: 'server2' }]),
      ],
      switches: [{ atMs: 1900, action: 'algorithm', target: 'maglev' }],
      healthChanges: [
        { atMs: 300, server: 'server2', health: 'down' },
        { atMs: 2400, server: 'server2', health: 'down' },
      ],
      thresholds: { minShare: 0.2 },
    });
    expect(passes.map((p) => [p.lab.algorithm, p.totals.requests, p.healthChanges, p.actions])).toEqual([
      ['round-robin', 10, [{ atMs: 300, server: 'server2', health: 'down' }], [{ atMs: 100, action: 'kill', target: 'server2' }]],
      ['maglev', 10, [{ atMs: 400, server: 'server2', health: 'down' }], [{ atMs: 100, action: 'kill', target: 'server2' }]],
    ]);
    expect(summary.lab.algorithm).toEqual(['round-robin', 'maglev']);
    expect(summary.passes?.map((pass) => pass.algorithm)).toEqual(['round-robin', 'maglev']);
    expect(summary.totals.requests).toBe(20);
    expect(summary.actions.map((a) => [a.atMs, a.action])).toEqual([
      [100, 'kill'],
      [1900, 'algorithm'],
      [2100, 'kill'],
    ]);
    expect(summary.series.map((p) => p.atMs)).toEqual([1000, 3000]);
    expect(summary.thresholds.map((t) => [t.name, t.measured, t.pass])).toEqual([
      ['round-robin: minShare', 0.5, true],
      ['maglev: minShare', 0.1, false],
    ]);
  });
});

describe("buildScenarioSummaries: lblab's own limits", () => {
  const calm = { eventLoopUtilization: 0.2, eventLoopDelayP99Ms: 20, windowMs: 1000, saturated: false };
  const busy = { eventLoopUtilization: 0.98, eventLoopDelayP99Ms: 140, windowMs: 1000, saturated: true };
  const withGenerator = (record: PassRecord): PassRecord => ({
    ...record,
    segments: record.segments.map((s) => ({ ...s, result: { ...s.result, saturation: calm } })),
  });

  it("records the generator's and the balancer's saturation, and each pass gets its own windows", () => {
    const { summary, passes } = buildScenarioSummaries({
      scenario: 's',
      seed: 1,
      lab: {},
      passes: [withGenerator(pass('round-robin', 0, { server1: 1 })), withGenerator(pass('random', 2000, { server2: 1 }))],
      switches: [],
      healthChanges: [],
      thresholds: {},
      balancerSaturation: [
        { atMs: 1000, stats: calm },
        { atMs: 2000, stats: busy },
        { atMs: 3000, stats: busy },
      ],
    });
    expect(summary.saturation).toEqual({ generator: { ...calm, windowMs: 2000 }, balancer: { ...busy, windowMs: 3000 } });
    expect(passes[0]?.saturation?.balancer?.saturated).toBe(false);
    expect(passes[1]?.saturation?.balancer?.saturated).toBe(true);
    expect(summary.balancerDied).toBeUndefined();
  });

  it('says the balancer died, in the run and in the pass it died in (on that pass clock), with no balancer windows: null', () => {
    const { summary, passes } = buildScenarioSummaries({
      scenario: 's',
      seed: 1,
      lab: {},
      passes: [withGenerator(pass('round-robin', 0, { server1: 1 })), withGenerator(pass('random', 2000, { server2: 1 }))],
      switches: [],
      healthChanges: [],
      thresholds: {},
      balancerDied: { atMs: 2500, reason: 'the balancer exited' },
    });
    expect(summary.balancerDied).toEqual({ atMs: 2500, reason: 'the balancer exited' });
    expect(summary.saturation?.balancer).toBeNull();
    expect(passes[0]?.balancerDied).toBeUndefined();
    expect(passes[1]?.balancerDied).toEqual({ atMs: 500, reason: 'the balancer exited' });
  });
});
