import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair, isPortFree } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';

interface StatusJson {
  lab: string;
  runtime: string;
  algorithm: string;
  balancer: { url: string; adminUrl: string; state: string };
  servers: { name: string; state: string; health: string; requests: number }[];
}

const lab = `e2e${process.pid}`;
let home: string;
let port: number;
let env: Record<string, string>;

async function status(): Promise<StatusJson> {
  const result = await runLblab(['status', '--json', '--lab', lab], env);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

async function serverOf(pathAndQuery: string): Promise<{ status: number; server: string | null; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${pathAndQuery}`);
  return { status: response.status, server: response.headers.get('x-server-id'), body: await response.json() };
}

async function countByServer(requests: number, pathFor: (i: number) => string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const { server } = await serverOf(pathFor(i));
    counts[server ?? '(none)'] = (counts[server ?? '(none)'] ?? 0) + 1;
  }
  return counts;
}

describe('lblab on the process runtime, through the built binary', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-'));
    port = await freePortPair();
    env = { LBLAB_HOME: home };
    const result = await runLblab(
      ['up', '--runtime', 'process', '--servers', '3', '--port', String(port), '--lab', lab, '--health-interval', '200ms', '--health-timeout', '150ms'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`lab ${lab} is up`);
  }, 60_000);

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('serves /home through the balancer, naming the server', async () => {
    const first = await serverOf('/home');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ message: `Hello from server: ${first.server}`, status: 'successful' });
  });

  it('spreads 300 requests exactly 100 per server under round-robin', async () => {
    expect(await countByServer(300, () => '/home')).toEqual({ server1: 100, server2: 100, server3: 100 });
  });

  it('refuses a second up of the same lab', async () => {
    const again = await runLblab(['up', '--runtime', 'process', '--port', String(port), '--lab', lab], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`lab "${lab}" is already up`);
  });

  it('reports status as JSON with state, health and requests', async () => {
    const now = await status();
    expect(now).toMatchObject({ lab, runtime: 'process', algorithm: 'round-robin' });
    expect(now.balancer).toMatchObject({ url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${port + 1}`, state: 'running' });
    expect(now.servers.map((s) => [s.name, s.state, s.health])).toEqual([
      ['server1', 'running', 'up'],
      ['server2', 'running', 'up'],
      ['server3', 'running', 'up'],
    ]);
    expect(now.servers.every((s) => s.requests >= 100)).toBe(true);
  });

  it('kill takes a server down and out of rotation until revive', async () => {
    expect((await runLblab(['kill', 'server2', '--lab', lab], env)).stdout).toContain('killed server2');
    // fall (2) x interval (200 ms) + 1 s
    await eventually(async () => {
      const s = (await status()).servers.find((server) => server.name === 'server2');
      return s?.state === 'stopped' && s.health === 'down';
    }, 'server2 stopped and down', 1_400);
    const counts = await countByServer(60, () => '/home');
    expect(counts.server2).toBeUndefined();
    expect((counts.server1 ?? 0) + (counts.server3 ?? 0)).toBe(60);

    const revived = await runLblab(['revive', 'server2', '--lab', lab], env);
    expect(revived.code, revived.stderr).toBe(0);
    expect(revived.stdout).toContain('revived server2');
    const after = await countByServer(30, () => '/home');
    expect(after.server2).toBe(10);
  });

  it('pause is seen as down by timeout, unpause brings it back', async () => {
    expect((await runLblab(['pause', 'server3', '--lab', lab], env)).code).toBe(0);
    await eventually(async () => {
      const s = (await status()).servers.find((server) => server.name === 'server3');
      return s?.state === 'paused' && s.health === 'down';
    }, 'server3 paused and down', 3_000);
    const unpaused = await runLblab(['unpause', 'server3', '--lab', lab], env);
    expect(unpaused.code, unpaused.stderr).toBe(0);
    expect((await status()).servers.find((server) => server.name === 'server3')).toMatchObject({ state: 'running', health: 'up' });
  });

  it('add and rm change the replicas', async () => {
    const added = await runLblab(['add', 'server4', '--lab', lab], env);
    expect(added.code, added.stderr).toBe(0);
    expect((await status()).servers.map((s) => s.name)).toEqual(['server1', 'server2', 'server3', 'server4']);
    expect(Object.keys(await countByServer(40, () => '/home')).sort()).toEqual(['server1', 'server2', 'server3', 'server4']);

    const removed = await runLblab(['rm', 'server4', '--lab', lab], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await status()).servers.map((s) => s.name)).toEqual(['server1', 'server2', 'server3']);
  });

  it('switches the algorithm at run time', async () => {
    const switched = await runLblab(['algorithm', 'least-connections', '--lab', lab], env);
    expect(switched.stdout).toContain('round-robin -> least-connections');
    expect((await status()).algorithm).toBe('least-connections');
    await runLblab(['algorithm', 'round-robin', '--lab', lab], env);
  });

  it('injects and clears faults', async () => {
    expect((await runLblab(['fault', 'server1', '--error-rate', '1', '--lab', lab], env)).code).toBe(0);
    const statuses = new Set<number>();
    for (let i = 0; i < 9; i++) {
      const response = await serverOf('/home');
      if (response.server === 'server1') statuses.add(response.status);
    }
    expect([...statuses]).toEqual([500]);
    expect((await runLblab(['fault', 'server1', '--clear', '--lab', lab], env)).code).toBe(0);
  });

  it('names the bad input and what was expected', async () => {
    const unknown = await runLblab(['kill', 'server9', '--lab', lab], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('lblab: unknown server "server9"; servers: server1, server2, server3');
    expect(unknown.stderr).not.toContain('    at ');
    const badAlgorithm = await runLblab(['algorithm', 'fastest', '--lab', lab], env);
    expect(badAlgorithm.code).toBe(2);
    expect(badAlgorithm.stderr).toContain('algorithm must be one of round-robin, weighted-round-robin');
    const badRate = await runLblab(['fault', 'server1', '--error-rate', 'lots', '--lab', lab], env);
    expect(badRate.stderr.trim()).toBe('lblab: --error-rate must be a number from 0 to 1, got "lots"');
  });

  it('says there is no Docker engine, and what to do, for --runtime docker', async () => {
    const result = await runLblab(['up', '--runtime', 'docker', '--lab', `${lab}-nodocker`], {
      ...env,
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'lblab: no Docker engine at unix:///nonexistent/docker.sock: connect ENOENT /nonexistent/docker.sock. ' +
        'Start one (dockerd, or Docker Desktop), set DOCKER_HOST, or use --runtime process.',
    );
    expect(await readdir(home)).toEqual([lab]);
  });

  it('down stops every process, frees the ports and leaves no state', async () => {
    const before = await status();
    expect(before.servers.length).toBe(3);
    const result = await runLblab(['down', '--lab', lab], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`lab ${lab} is down`);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(port + 1)).toBe(true);
    expect(await readdir(home)).toEqual([]);
    expect(await labProcesses(lab)).toEqual([]);
    const after = await runLblab(['status', '--lab', lab], env);
    expect(after.stderr).toContain(`lab "${lab}" is not up`);
  });
});
