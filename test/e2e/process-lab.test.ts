import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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
    expect(unknown.stderr.trim()).toBe(`lblab: unknown server "server9"; servers: server1, server2, server3. Their states: lblab status --lab ${lab}`);
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
        'Start one (dockerd, or Docker Desktop), set DOCKER_HOST, or run without Docker: lblab up --runtime process',
    );
    expect(await readdir(home)).toEqual([lab]);
  });

  it('a verb that finds nothing to do says so, changes nothing and exits 0', async () => {
    expect((await runLblab(['kill', 'server2', '--lab', lab], env)).stdout.trim()).toBe('killed server2 (SIGKILL)');
    const again = await runLblab(['kill', 'server2', '--lab', lab], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('server2 is already stopped; nothing was changed');
    const pause = await runLblab(['pause', 'server2', '--lab', lab], env);
    expect(pause.stdout.trim()).toBe(`server2 is stopped, so it cannot be paused; nothing was changed; bring it back with \`lblab revive server2 --lab ${lab}\``);
    expect((await runLblab(['revive', 'server2', '--lab', lab], env)).stdout).toContain('revived server2; the balancer sees it up after');
    const revive = await runLblab(['revive', 'server2', '--lab', lab], env);
    expect(revive.code, revive.stderr).toBe(0);
    expect(revive.stdout.trim()).toBe('server2 is already running; nothing was changed');
    expect((await runLblab(['unpause', 'server2', '--lab', lab], env)).stdout.trim()).toBe('server2 is not paused (it is running); nothing was changed');
    expect((await status()).servers.find((s) => s.name === 'server2')).toMatchObject({ state: 'running', health: 'up' });
  });

  it("fault prints the server's whole fault state after the change", async () => {
    expect((await runLblab(['fault', 'server1', '--latency', '200ms', '--lab', lab], env)).stdout.trim()).toBe(
      'server1 now: error rate 0, latency 200 ms, no hang',
    );
    expect((await runLblab(['fault', 'server1', '--error-rate', '0.5', '--lab', lab], env)).stdout.trim()).toBe(
      'server1 now: error rate 0.5, latency 200 ms, no hang',
    );
    expect((await runLblab(['fault', 'server1', '--clear', '--lab', lab], env)).stdout.trim()).toBe('server1 now: no faults');
  });

  it('reconciles members and registrations: status shows both facts, add registers, rm removes either kind', async () => {
    const admin = `http://127.0.0.1:${port + 1}`;
    const token = (await readFile(path.join(home, lab, 'token'), 'utf8')).trim();
    const json = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    await fetch(`${admin}/rm`, { method: 'DELETE', headers: json, body: JSON.stringify({ n: 1, hostnames: ['server3'] }) });
    const stray = { name: 'server9', url: 'http://127.0.0.1:9' };
    await fetch(`${admin}/add`, { method: 'POST', headers: json, body: JSON.stringify({ n: 1, hostnames: ['server9'], servers: [stray] }) });
    const both = (await status()).servers as (StatusJson['servers'][number] & { registered: boolean; member: boolean })[];
    expect(both.find((s) => s.name === 'server3')).toMatchObject({ state: 'running', registered: false, member: true });
    expect(both.find((s) => s.name === 'server9')).toMatchObject({ state: 'missing', registered: true, member: false });
    const table = (await runLblab(['status', '--lab', lab], env)).stdout;
    expect(table).toMatch(/server3 +running, not registered/);
    expect(table).toMatch(/server9 +registered, no such member/);

    const added = await runLblab(['add', 'server3', '--lab', lab], env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim()).toBe('registered server3 again (it was a member of the lab but not registered); the balancer sees it up');
    const removed = await runLblab(['rm', 'server9', '--lab', lab], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout.trim()).toBe('removed server9: deregistered from the balancer (it was no member of the lab)');
    expect((await status()).servers.map((s) => [s.name, s.state, s.health])).toEqual([
      ['server1', 'running', 'up'],
      ['server2', 'running', 'up'],
      ['server3', 'running', 'up'],
    ]);
  });

  it('the balancer is a member: kill, status and up say it is down and how to bring it back; revive brings it back', async () => {
    expect((await runLblab(['kill', 'balancer', '--lab', lab], env)).stdout.trim()).toBe(
      `killed balancer (SIGKILL); the lab serves nothing until \`lblab revive balancer --lab ${lab}\``,
    );
    expect((await status()).balancer.state).toBe('stopped');
    expect((await runLblab(['status', '--lab', lab], env)).stdout).toContain(`stopped: the lab serves nothing; bring it back with \`lblab revive balancer --lab ${lab}\``);
    const up = await runLblab(['up', '--runtime', 'process', '--port', String(port), '--lab', lab], env);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(`lab "${lab}" has 3 running servers but its balancer is stopped`);
    expect(up.stderr).not.toContain('already up');
    const revived = await runLblab(['revive', 'balancer', '--lab', lab], env);
    expect(revived.code, revived.stderr).toBe(0);
    expect(revived.stdout).toContain('revived balancer; it answers again after');
    expect((await serverOf('/home')).status).toBe(200);
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
