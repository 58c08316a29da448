// The seed knobs of `lblab up` on a real process lab: weights (seed 003) and usernames (seed 002).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

const lab = `sk${process.pid}`;
let home: string;
let port: number;
let env: Record<string, string>;

describe('lblab up --weights --usernames', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-sk-'));
    env = { LBLAB_HOME: home };
    port = await freePortPair();
    const result = await runLblab(
      ['up', '--runtime', 'process', '--lab', lab, '--port', String(port), '--algorithm', 'weighted-round-robin', '--weights', 'server1=3,server2=1', '--usernames', 'jack,tom,rob'],
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
});
