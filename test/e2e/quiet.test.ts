// Global --quiet / -q through the built binary on the process runtime: what stays and what goes, per verb.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab, type LblabResult } from '../helpers/run-lblab.js';

const lab = `q${process.pid}`;
let dir: string;
let env: Record<string, string>;

const lblab = (args: readonly string[]): Promise<LblabResult> => runLblab([...args, '--lab', lab], env, 60_000);

describe('--quiet on the process runtime', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-quiet-'));
    env = { LBLAB_HOME: path.join(dir, 'home'), NO_COLOR: '1' };
  });

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('up -q prints nothing on success; kill -q and revive -q print nothing; status is unchanged', async () => {
    const port = await freePortPair();
    const up = await lblab(['up', '-q', '--runtime', 'process', '--servers', '2', '--port', String(port), '--health-interval', '100ms']);
    expect(up.code, up.stderr).toBe(0);
    expect(up).toMatchObject({ stdout: '', stderr: '' });
    expect(await labProcesses(lab)).toHaveLength(3);

    expect(await lblab(['--quiet', 'kill', 'server2'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const status = await lblab(['-q', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/server2\s+\S*\s*stopped/);
    expect(await lblab(['revive', 'server2', '-q'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    // Without -q the same kind of verb confirms what it did.
    const kill = await lblab(['kill', 'server2']);
    expect(kill.stdout).toContain('server2');
    await lblab(['revive', 'server2', '-q']);
  }, 60_000);

  it('errors stay under -q', async () => {
    const result = await lblab(['-q', 'kill', 'server9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('server9');
  }, 30_000);

  it('down -q prints nothing and removes the lab', async () => {
    expect(await lblab(['down', '-q'])).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await labProcesses(lab)).toEqual([]);
  }, 60_000);

  it('run -q prints only the results folder, and the run still writes it', async () => {
    const file = path.join(dir, 'tiny.yaml');
    await writeFile(
      file,
      ['name: tiny', 'lab: {servers: 2, runtime: process}', 'phases:', '  - {kind: closed, requests: 40, concurrency: 4, path: /home}', 'thresholds: {requests: 40}', ''].join('\n'),
    );
    const out = path.join(dir, 'tiny-results');
    const result = await runLblab(['-q', 'run', file, '--lab', `${lab}r`, '--out', out], env, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${out}\n`);
    expect(result.stderr).toBe('');
    expect((await stat(path.join(out, 'summary.json'))).isFile()).toBe(true);
    expect(await labProcesses(`${lab}r`)).toEqual([]);
  }, 60_000);
});
