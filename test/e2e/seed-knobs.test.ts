// The seed knobs of `lblab up` on a real process lab: weights (seed 003) and usernames (seed 002).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair, isPortFree } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

const lab = `sk${process.pid}`;
let home: string;
let port: number;
let portBase: number;

/** Three free ports in a row for server1..server3. */
async function freeRun(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isPortFree(base)) && (await isPortFree(base + 1)) && (await isPortFree(base + 2))) return base;
  }
  throw new Error('no three free ports in a row');
}
let env: Record<string, string>;

describe('lblab up --weights --usernames --port-base', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-sk-'));
    env = { LBLAB_HOME: home };
    port = await freePortPair();
    portBase = await freeRun();
    const result = await runLblab(
      ['up', '--runtime', 'process', '--lab', lab, '--port', String(port), '--algorithm', 'weighted-round-robin', '--weights', 'server1=3,server2=1', '--usernames', 'jack,tom,rob', '--port-base', String(portBase)],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('spreads requests 3:1:1 by the weights given', async () => {
    const result = await runLblab(['load', '-n', '500', '-c', '5', '--json', '/home', '--lab', lab], env);
    expect(result.code, result.stderr).toBe(0);
    const servers = (JSON.parse(result.stdout) as { servers: { name: string; requests: number }[] }).servers;
    expect(Object.fromEntries(servers.map((s) => [s.name, s.requests]))).toEqual({ server1: 300, server2: 100, server3: 100 });
  }, 60_000);

  it("gives each server the username asked for: only tom's server registers tom", async () => {
    const response = await fetch(`http://127.0.0.1:${port}/register?username=tom`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ status: 'successful', server: 'server2' });
  });

  it('puts server<k> on port-base + k - 1', async () => {
    for (const [k, name] of ['server1', 'server2', 'server3'].entries()) {
      const response = await fetch(`http://127.0.0.1:${portBase + k}/home`);
      expect(await response.json()).toEqual({ message: `Hello from server: ${name}`, status: 'successful' });
    }
  });
});
