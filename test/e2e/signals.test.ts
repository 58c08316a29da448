import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../cli/report/run-summary.js';
import { createDockerRuntime } from '../../cli/runtime/docker/docker-runtime.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import { describeDocker, engineProbe } from '../cli/runtime/docker/engine-available.js';
import { EngineProxy } from '../helpers/engine-proxy.js';
import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';
import { spawnLblab } from '../helpers/spawn-lblab.js';

/** A lab name of this test run's own, so a shared machine's other labs are never touched. */
const labName = (what: string): string => `sig${what}-${randomBytes(3).toString('hex')}`;

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-signals-'));
  env = { LBLAB_HOME: path.join(dir, 'home') };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function summaryOf(resultsDir: string): Promise<RunSummary> {
  return JSON.parse(await readFile(path.join(resultsDir, 'summary.json'), 'utf8')) as RunSummary;
}

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

describe('signals stop `lblab run` on the process runtime and leave nothing behind', { timeout: 90_000 }, () => {
  const labs: string[] = [];

  afterAll(async () => {
    // In case a test failed half-way.
    for (const lab of labs) await runLblab(['down', '--lab', lab], env);
  }, 60_000);

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s of run kill-revive: teardown, partial results, exit 128 + n', async (signal) => {
    const lab = labName('p');
    labs.push(lab);
    const out = path.join(dir, `results-${lab}`);
    const run = spawnLblab(['run', 'kill-revive', '--runtime', 'process', '--lab', lab, '--out', out], env);
    // Some load measured: a progress line of the first phase.
    await run.waitForStderr(/^\s+\d+\.\ds\s+\d+ req /m);
    expect(await labProcesses(lab)).not.toEqual([]);
    run.kill(signal);
    const { code } = await run.exited;

    expect(code, run.stderr()).toBe(EXIT_CODES[signal]);
    expect(run.stderr()).toContain(`${signal}: stopping the load, writing what was measured and tearing down lab ${lab}`);
    expect(run.stderr()).toContain(`lab ${lab} torn down`);
    expect(run.stderr()).toContain(`lblab: run of kill-revive interrupted by ${signal}; what was measured until then is in ${out}`);
    expect(await labProcesses(lab)).toEqual([]);
    expect(existsSync(path.join(env.LBLAB_HOME ?? '', lab))).toBe(false);
    const summary = await summaryOf(out);
    expect(summary.interrupted).toBe(true);
    expect(summary.totals.requests).toBeGreaterThan(0);
    expect(summary.servers.reduce((sum, server) => sum + server.requests, 0)).toBe(summary.totals.requests);
  });
});

describe('signals and the live views', { timeout: 90_000 }, () => {
  it('SIGTERM of run --live stops the live view and the run the same way', async () => {
    const lab = labName('l');
    const out = path.join(dir, `results-${lab}`);
    try {
      const run = spawnLblab(['run', 'kill-revive', '--live', '--runtime', 'process', '--lab', lab, '--out', out], env);
      // Without a terminal the live view prints a line per second to stdout.
      await eventually(async () => / req\/s /.test(run.stdout()), 'a live progress line', 60_000);
      run.kill('SIGTERM');
      const { code } = await run.exited;
      expect(code, run.stderr()).toBe(143);
      expect(await labProcesses(lab)).toEqual([]);
      expect((await summaryOf(out)).interrupted).toBe(true);
    } finally {
      await runLblab(['down', '--lab', lab], env);
    }
  });

  it('SIGTERM closes `lblab dashboard` with 143 and leaves the lab up (it belongs to `up`)', async () => {
    const lab = labName('v');
    try {
      const up = await runLblab(['up', '--runtime', 'process', '--servers', '1', '--port', String(await freePortPair()), '--lab', lab], env);
      expect(up.code, up.stderr).toBe(0);
      const dashboard = spawnLblab(['dashboard', '--lab', lab, '--interval', '100ms'], env);
      await eventually(async () => dashboard.stdout().includes('server1'), 'the dashboard to show server1');
      dashboard.kill('SIGTERM');
      const { code } = await dashboard.exited;
      expect(code, dashboard.stderr()).toBe(143);
      expect((await labProcesses(lab)).length).toBe(2);
    } finally {
      await runLblab(['down', '--lab', lab], env);
      expect(await labProcesses(lab)).toEqual([]);
    }
  });
});

describeDocker('signals stop `lblab run` and `lblab up` on Docker', { timeout: 180_000 }, () => {
  const client = createDockerRuntime().client;
  const labs: string[] = [];

  const engineHolds = async (lab: string): Promise<string[]> => [
    ...(await client.listContainers(labFilter(lab))).map((container) => container.Names.join(',')),
    ...(await client.listNetworks(labFilter(lab))).map((network) => network.Name),
  ];

  afterAll(async () => {
    for (const lab of labs) {
      await runLblab(['down', '--lab', lab], env);
      expect(await engineHolds(lab)).toEqual([]);
    }
  }, 120_000);

  it('SIGTERM of run kill-revive removes every container and the network and writes partial results', async () => {
    const lab = labName('d');
    labs.push(lab);
    const out = path.join(dir, `results-${lab}`);
    const run = spawnLblab(['run', 'kill-revive', '--runtime', 'docker', '--lab', lab, '--out', out], env);
    await run.waitForStderr(/^\s+\d+\.\ds\s+\d+ req /m, 120_000);
    expect(await engineHolds(lab)).not.toEqual([]);
    run.kill('SIGTERM');
    const { code } = await run.exited;

    expect(code, run.stderr()).toBe(143);
    expect(run.stderr()).toContain(`lab ${lab} torn down`);
    expect(await engineHolds(lab)).toEqual([]);
    expect(existsSync(path.join(env.LBLAB_HOME ?? '', lab))).toBe(false);
    expect((await summaryOf(out)).interrupted).toBe(true);
  });

  it('a second signal quits at once and says what is left and how to remove it', async () => {
    const lab = labName('d2');
    labs.push(lab);
    const run = spawnLblab(['run', 'kill-revive', '--runtime', 'docker', '--lab', lab, '--out', path.join(dir, `results-${lab}`)], env);
    await run.waitForStderr(/^\s+\d+\.\ds\s+\d+ req /m, 120_000);
    run.kill('SIGINT');
    await run.waitForStderr(/SIGINT: stopping the load/);
    run.kill('SIGINT');
    const { code } = await run.exited;

    expect(code, run.stderr()).toBe(130);
    expect(run.stderr()).toContain('SIGINT again: quitting without waiting.');
    expect(run.stderr()).toMatch(new RegExp(`left of lab ${lab} now:\\n(  - .+\\n)+remove it with: lblab down --lab ${lab}`));
    expect(run.stderr()).not.toContain(`lab ${lab} torn down`);
    const down = await runLblab(['down', '--lab', lab], env);
    expect(down.code, down.stderr).toBe(0);
    expect(await engineHolds(lab)).toEqual([]);
    expect(existsSync(path.join(env.LBLAB_HOME ?? '', lab))).toBe(false);
  });

  it('a teardown that cannot reach the engine says so, names what is left and exits 1, never "torn down"', async () => {
    const lab = labName('d3');
    labs.push(lab);
    const target = engineProbe.endpoint.replace(/^unix:\/\//, '');
    const proxy = await EngineProxy.start(target);
    try {
      const out = path.join(dir, `results-${lab}`);
      const run = spawnLblab(['run', 'kill-revive', '--runtime', 'docker', '--lab', lab, '--out', out], { ...env, DOCKER_HOST: proxy.dockerHost });
      await run.waitForStderr(/^\s+\d+\.\ds\s+\d+ req /m, 120_000);
      await proxy.close();
      run.kill('SIGTERM');
      const { code } = await run.exited;

      expect(code, run.stderr()).toBe(1);
      expect(run.stderr()).toContain(`lblab: tearing down lab ${lab} failed:`);
      expect(run.stderr()).toContain(`remove it with: lblab down --lab ${lab}`);
      expect(run.stderr()).not.toContain(`lab ${lab} torn down`);
      // The results are written all the same, and the state folder stays for `lblab down`.
      expect((await summaryOf(out)).interrupted).toBe(true);
      expect(existsSync(path.join(env.LBLAB_HOME ?? '', lab))).toBe(true);
    } finally {
      await proxy.close().catch(() => undefined);
    }
    const down = await runLblab(['down', '--lab', lab], env);
    expect(down.code, down.stderr).toBe(0);
    expect(await engineHolds(lab)).toEqual([]);
  });

  it('SIGTERM while `up` is starting removes what it started and exits 143', async () => {
    const lab = labName('u');
    labs.push(lab);
    const target = engineProbe.endpoint.replace(/^unix:\/\//, '');
    const proxy = await EngineProxy.start(target);
    try {
      // The signal arrives while the balancer's container is being created. The servers start alongside it
      // (the balancer reaches them by name), so the test waits until their containers exist too.
      const held = proxy.holdNext(`/containers/create?name=${lab}-balancer`);
      const port = await freePortPair();
      const up = spawnLblab(['up', '--runtime', 'docker', '--servers', '2', '--port', String(port), '--lab', lab], { ...env, DOCKER_HOST: proxy.dockerHost });
      await held;
      await vi.waitFor(async () => expect((await client.listContainers(labFilter(lab))).length).toBe(2), { timeout: 10_000, interval: 100 });
      up.kill('SIGTERM');
      await up.waitForStderr(/SIGTERM: stopping the start of lab/);
      proxy.release();
      const { code } = await up.exited;

      expect(code, up.stderr()).toBe(143);
      expect(up.stderr()).toContain(`lblab: lab ${lab} was not started: everything it had started is removed (SIGTERM)`);
      expect(await engineHolds(lab)).toEqual([]);
      expect(existsSync(path.join(env.LBLAB_HOME ?? '', lab))).toBe(false);
    } finally {
      await proxy.close();
    }
  });
});
