import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenLab } from '../../../cli/lab/open-lab.js';
import type { RunSummary } from '../../../cli/report/run-summary.js';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';
import { runScenario } from '../../../cli/scenario/run-scenario.js';
import { labProcesses } from '../../helpers/lab-processes.js';
import { LBLAB_BIN } from '../../helpers/run-lblab.js';

const lab = `death${process.pid}`;
let dir: string;
let previousHome: string | undefined;

describe('a run whose balancer dies (process runtime, real balancer)', () => {
  beforeAll(async () => {
    if (!existsSync(LBLAB_BIN)) throw new Error('run `npm run build` first: the process runtime starts the bundles in dist/');
    dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-death-'));
    previousHome = process.env.LBLAB_HOME;
    process.env.LBLAB_HOME = path.join(dir, 'home');
  });

  afterAll(async () => {
    if (previousHome === undefined) delete process.env.LBLAB_HOME;
    else process.env.LBLAB_HOME = previousHome;
    expect(await labProcesses(lab)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  });

  it('says when, stops the load, writes partial results and fails', async () => {
    const scenario = parseScenarioText(
      [
        'name: balancer-dies',
        'lab: {servers: 2, runtime: process}',
        'phases:',
        '  - {kind: open, rate: 100, duration: 30s, path: /home}',
        '  - {kind: open, rate: 100, duration: 30s, path: /home}',
        '',
      ].join('\n'),
      'balancer-dies.yaml',
    );
    const outDir = path.join(dir, 'out');
    const run = runScenario({ scenario, lab, outDir });
    const warnings: string[] = [];
    run.on('warning', (line) => warnings.push(line));
    let runLab: OpenLab | undefined;
    run.on('lab', (scenarioLab) => (runLab = scenarioLab.open));
    let killedAtTick = 0;
    // After the first second of load, SIGKILL the balancer's process through the runtime.
    run.on('tick', (tick) => {
      if (killedAtTick !== 0 || runLab === undefined) return;
      killedAtTick = tick.atMs;
      void runLab.runtime.kill(runLab.record.lab, 'balancer');
    });

    const result = await run.result;
    const summary = JSON.parse(await readFile(path.join(outDir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.balancerDied).toBeDefined();
    expect(summary.balancerDied?.reason).toMatch(/^the balancer exited/);
    // Noticed after the kill, long before the 60 s of load were over.
    expect(summary.balancerDied?.atMs).toBeGreaterThanOrEqual(killedAtTick);
    expect(summary.durationMs).toBeLessThan(30_000);
    expect(summary.totals.requests).toBeGreaterThan(0);
    expect(summary.saturation?.generator).toMatchObject({ saturated: expect.any(Boolean) });
    expect(result.failures[0]).toMatch(/^the balancer died \d+\.\d s into the run \(the balancer exited.*\); the results are partial$/);
    expect(warnings.some((line) => line.includes('the balancer died') && line.includes('stopping the load'))).toBe(true);
    expect(result.files.map((file) => path.basename(file))).toContain('report.md');
  }, 60_000);
});
