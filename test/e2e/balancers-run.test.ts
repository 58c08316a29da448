import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../cli/report/run-summary.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

const installed = ['haproxy', 'nginx'].every((program) => spawnSync(program, ['-v'], { stdio: 'ignore' }).status === 0);

// The built-in `balancers` scenario, shortened: kill-revive through each kind in turn on one set of servers.
const SCENARIO = `name: balancers-short
lab:
  servers: 3
  health: {intervalMs: 200ms, timeoutMs: 150ms, fall: 2, rise: 2}
  balancer:
    outlier: {enabled: false}
balancers: [lblab, haproxy, nginx]
phases:
  - {kind: open, rate: 100, duration: 4s, path: /home}
actions:
  - {at: 1s, action: kill, target: server2}
  - {at: 2500ms, action: revive, target: server2}
thresholds:
  errorRate: "< 0.5"
`;

describe.runIf(installed)('lblab run with balancers: [lblab, haproxy, nginx] on the process runtime', () => {
  const lab = `bal${process.pid}`;
  let dir: string;
  let env: Record<string, string>;
  let out: string;
  let result: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-balancers-'));
    env = { LBLAB_HOME: path.join(dir, 'home') };
    out = path.join(dir, 'results');
    const file = path.join(dir, 'balancers-short.yaml');
    await writeFile(file, SCENARIO);
    result = await runLblab(['run', file, '--runtime', 'process', '--out', out, '--lab', lab], env, 180_000);
  }, 200_000);

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    expect(existsSync(path.join(dir, 'home', lab))).toBe(false);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs one pass per balancer and says which ran each', async () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const whole = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(whole.balancer).toEqual({ kind: 'lblab, haproxy, nginx' });
    const kinds: (string | undefined)[] = [];
    for (const [index, kind] of ['lblab', 'haproxy', 'nginx'].entries()) {
      const pass = JSON.parse(await readFile(path.join(out, 'passes', `${index + 1}-${kind}`, 'summary.json'), 'utf8')) as RunSummary;
      kinds.push(pass.balancer?.kind);
      expect(pass.totals.requests).toBe(400);
      expect(pass.actions.map((action) => action.action)).toEqual(['kill', 'revive']);
    }
    expect(kinds).toEqual(['lblab', 'haproxy', 'nginx']);
    // Thresholds are checked per pass and named by balancer.
    expect(whole.thresholds.map((threshold) => threshold.name.split(':')[0])).toEqual(['lblab', 'haproxy', 'nginx']);
  });

  it('writes balancers.md: a row per balancer, detection times where the balancer reports health', async () => {
    const table = await readFile(path.join(out, 'balancers.md'), 'utf8');
    const rows = table.split('\n').filter((line) => /^(lblab|haproxy|nginx)\s/.test(line));
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(['lblab', 'haproxy', 'nginx']);
    expect(rows[1]).toMatch(/^haproxy\s+HAProxy 2\.\S+\s+\d+\s/);
    expect(rows[2]).toContain('n/a (passive)');
    expect(existsSync(path.join(out, 'algorithms.png'))).toBe(true);
  });
});
