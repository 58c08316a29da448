// `lblab up --workers 2` on the process runtime, through the built binary:
// the balancer runs as a primary and two workers, status says so, down leaves nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

const lab = `e2ewk${process.pid}`;
let home: string;
let port: number;
let env: Record<string, string>;

describe('lblab up --workers 2 on the process runtime', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-workers-'));
    port = await freePortPair();
    env = { LBLAB_HOME: home };
    const result = await runLblab(['up', '--runtime', 'process', '--servers', '2', '--workers', '2', '--port', String(port), '--lab', lab], env);
    expect(result.code, result.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('serves through two workers and shows workers: 2 in status', async () => {
    for (let i = 0; i < 10; i++) expect((await fetch(`http://127.0.0.1:${port}/home`)).status).toBe(200);
    // 2 servers, the primary and its 2 workers.
    expect(await labProcesses(lab)).toHaveLength(5);
    const text = await runLblab(['status', '--lab', lab], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('workers: 2 (processes sharing the data port; each balances on its own: round-robin is exact per worker');
    const json = JSON.parse((await runLblab(['status', '--json', '--lab', lab], env)).stdout) as { workers?: number; servers: { requests: number }[] };
    expect(json.workers).toBe(2);
    expect(json.servers.reduce((n, s) => n + s.requests, 0)).toBe(10);
  }, 60_000);

  it('refuses a --workers value outside the range, naming the flag', async () => {
    const result = await runLblab(['up', '--runtime', 'process', '--workers', 'x', '--lab', `${lab}x`], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--workers must be an integer from 1 to ${os.availableParallelism() * 4} or "auto", got "x"`);
  });
});
