// The scenario runner in-process (no binary, no Docker): a real lab on the
// process runtime, load, a kill at its time, the balancer's health events,
// thresholds and the results folder.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { runScenario } from '../../../cli/scenario/run-scenario.js';
import { labProcesses } from '../../helpers/lab-processes.js';

const lab = `runner${process.pid}`;
let home: string;

const SCENARIO = `
name: runner-test
lab:
  servers: 3
  app: greeting
  runtime: process
  health: {intervalMs: 100ms, timeoutMs: 80ms, fall: 1, rise: 1}
  balancer:
    outlier: {enabled: false}
phases:
  - {name: steady, kind: open, rate: 100, duration: 2s, path: /home}
actions:
  - {at: 500ms, action: kill, target: server3}
thresholds:
  requests: ">= 150"
  p99Ms: "< 0.001"
`;

describe('runScenario in-process', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-runner-'));
    vi.stubEnv('LBLAB_HOME', path.join(home, 'state'));
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  it('runs the load and the kill, records the health change, judges thresholds, writes results and tears down', async () => {
    const scenario = parseScenarioText(SCENARIO, 'runner-test.yaml');
    const outDir = path.join(home, 'out');
    const run = runScenario({ scenario, lab, outDir, seed: 7 });
    const phases: string[] = [];
    run.on('phase', (phase) => phases.push(phase.name));
    const result = await run.result;

    expect(phases).toEqual(['steady']);
    const { summary } = result;
    expect(summary.scenario).toBe('runner-test');
    expect(summary.seed).toBe(7);
    expect(summary.lab).toMatchObject({ runtime: 'process', servers: ['server1', 'server2', 'server3'] });
    // An open phase of 100 req/s for 2 s schedules 200 requests.
    expect(summary.totals.requests).toBeGreaterThanOrEqual(150);
    expect(summary.totals.requests).toBeLessThanOrEqual(200);
    expect(summary.servers.map((s) => s.name)).toEqual(expect.arrayContaining(['server1', 'server2', 'server3']));
    expect(summary.actions).toEqual([expect.objectContaining({ action: 'kill', target: 'server3' })]);
    expect(summary.healthChanges).toContainEqual(expect.objectContaining({ server: 'server3', health: 'down' }));
    // The requests threshold passes; a p99 under a microsecond cannot.
    expect(summary.thresholds.map((t) => [t.name, t.pass])).toEqual([
      ['requests', true],
      ['p99Ms', false],
    ]);
    expect(result.failures).toEqual([expect.stringMatching(/^threshold p99Ms < 0\.001 failed: measured /)]);

    expect(result.resultsDir).toBe(outDir);
    const written = await readdir(outDir);
    expect(written).toEqual(expect.arrayContaining(['summary.json', 'report.md']));
    expect(written.some((file) => file.endsWith('.png'))).toBe(true);
    expect(JSON.parse(await readFile(path.join(outDir, 'summary.json'), 'utf8'))).toMatchObject({ totals: { requests: summary.totals.requests } });

    // The run started its own lab and tore it down.
    expect(await labProcesses(lab)).toEqual([]);
  }, 90_000);
});
