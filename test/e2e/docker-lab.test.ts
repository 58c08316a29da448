import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerRuntime } from '../../cli/runtime/docker/docker-runtime.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import { describeDocker } from '../cli/runtime/docker/engine-available.js';
import { freePortPair } from '../helpers/free-ports.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';

interface StatusJson {
  servers: { name: string; state: string; health: string; requests: number }[];
}

describeDocker('lblab on Docker, through the built binary (the README user story)', () => {
  const lab = `d${process.pid}`;
  const client = createDockerRuntime().client;
  let home: string;
  let port: number;
  let env: Record<string, string>;

  const lblab = (...args: string[]) => runLblab([...args, '--lab', lab], env);
  const status = async (): Promise<StatusJson> => JSON.parse((await lblab('status', '--json')).stdout) as StatusJson;
  const serverStatus = async (name: string) => (await status()).servers.find((s) => s.name === name);
  const container = async (member: string) => {
    const [summary] = (await client.listContainers(labFilter(lab))).filter((c) => c.Labels['lblab.server'] === member);
    if (summary === undefined) throw new Error(`no container for ${member}`);
    return client.inspectContainer(summary.Id);
  };
  const serversSeen = async (requests: number): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/home`);
      const server = response.headers.get('x-server-id') ?? '(none)';
      const body = (await response.json()) as { message: string };
      expect(body.message).toBe(`Hello from server: ${server}`);
      counts[server] = (counts[server] ?? 0) + 1;
    }
    return counts;
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-docker-e2e-'));
    env = { LBLAB_HOME: home };
    port = await freePortPair();
    const result = await runLblab(['up', '--servers', '3', '--port', String(port), '--lab', lab], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^runtime: docker \(engine at .+\)$/m);
  }, 180_000);

  afterAll(async () => {
    const result = await runLblab(['down', '--lab', lab], env);
    await rm(home, { recursive: true, force: true });
    expect(result.code, result.stderr).toBe(0);
    expect(await client.listContainers(labFilter(lab))).toEqual([]);
    expect(await client.listNetworks(labFilter(lab))).toEqual([]);
  }, 60_000);

  it('runs every member as a labelled container on its own network, publishing only the balancer on 127.0.0.1', async () => {
    const containers = await client.listContainers(labFilter(lab));
    expect(containers.map((c) => c.Names[0]).sort()).toEqual([`/${lab}-balancer`, `/${lab}-server1`, `/${lab}-server2`, `/${lab}-server3`]);
    expect(containers.every((c) => c.State === 'running')).toBe(true);
    const balancer = await container('balancer');
    expect(balancer.Config.Labels).toMatchObject({ 'lblab.lab': lab, 'lblab.role': 'balancer', 'lblab.server': 'balancer' });
    const published = Object.values(balancer.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? []);
    expect(published.map((b) => `${b.HostIp}:${b.HostPort}`).sort()).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port + 1}`]);
    const server2 = await container('server2');
    expect(server2.Config.Labels).toMatchObject({ 'lblab.lab': lab, 'lblab.role': 'server', 'lblab.server': 'server2' });
    expect(Object.values(server2.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? [])).toEqual([]);
    expect(server2.Config.User).not.toMatch(/^(0|root)?(:|$)/);
    expect(Object.keys(server2.NetworkSettings.Networks ?? {})).toEqual([`lblab-${lab}`]);
  });

  it('answers with X-Server-Id equal to each container server name, round robin', async () => {
    expect(await serversSeen(30)).toEqual({ server1: 10, server2: 10, server3: 10 });
  });

  it('kill leaves the container exited by SIGKILL and the balancer marks it down; revive brings it back', async () => {
    const killed = await lblab('kill', 'server2');
    expect(killed.code, killed.stderr).toBe(0);
    const inspected = await container('server2');
    expect(inspected.State).toMatchObject({ Running: false, ExitCode: 137 });
    await eventually(async () => (await serverStatus('server2'))?.health === 'down', 'server2 down', 2_000);
    expect(await serverStatus('server2')).toMatchObject({ state: 'stopped', health: 'down' });
    expect((await serversSeen(20)).server2).toBeUndefined();

    const revived = await lblab('revive', 'server2');
    expect(revived.code, revived.stderr).toBe(0);
    expect((await container('server2')).State.Running).toBe(true);
    expect((await serversSeen(30)).server2).toBe(10);
  });

  it('pause is detected as down by health-check timeout; unpause recovers', async () => {
    expect((await lblab('pause', 'server3')).code).toBe(0);
    expect((await container('server3')).State.Paused).toBe(true);
    await eventually(async () => (await serverStatus('server3'))?.health === 'down', 'server3 down by timeout', 3_000);
    expect((await serverStatus('server3'))?.state).toBe('paused');
    const unpaused = await lblab('unpause', 'server3');
    expect(unpaused.code, unpaused.stderr).toBe(0);
    expect(await serverStatus('server3')).toMatchObject({ state: 'running', health: 'up' });
  });

  it('add starts a container that joins the network and the balancer; rm removes it', async () => {
    const added = await lblab('add', 'server4');
    expect(added.code, added.stderr).toBe(0);
    expect((await container('server4')).State.Running).toBe(true);
    expect(Object.keys(await serversSeen(40)).sort()).toEqual(['server1', 'server2', 'server3', 'server4']);
    const removed = await lblab('rm', 'server4');
    expect(removed.code, removed.stderr).toBe(0);
    expect((await client.listContainers(labFilter(lab))).some((c) => c.Labels['lblab.server'] === 'server4')).toBe(false);
  });

  it('shows the balancer logs and names unknown servers', async () => {
    const logs = await lblab('logs', 'balancer', '--tail', '50');
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toMatch(/health server2 up -> down/);
    const unknown = await lblab('kill', 'server9');
    expect(unknown.stderr.trim()).toBe(`lblab: unknown server "server9"; servers: server1, server2, server3. Their states: lblab status --lab ${lab}`);
  });

  it('finds the lab from the engine labels alone, as from another folder or after a crash', async () => {
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'lblab-elsewhere-'));
    try {
      const result = await runLblab(['status', '--json', '--lab', lab], { LBLAB_HOME: elsewhere });
      expect(result.code, result.stderr).toBe(0);
      const found = JSON.parse(result.stdout) as StatusJson & { runtime: string };
      expect(found.runtime).toBe('docker');
      expect(found.servers.map((s) => [s.name, s.health])).toEqual([
        ['server1', 'up'],
        ['server2', 'up'],
        ['server3', 'up'],
      ]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('says when the port is taken', async () => {
    const other = await runLblab(['up', '--runtime', 'docker', '--port', String(port), '--lab', `${lab}x`], env);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain(`port ${port} on 127.0.0.1 is already in use; choose another with --port`);
    expect(await client.listContainers(labFilter(`${lab}x`))).toEqual([]);
  });

  it('kill under a steady stream of GETs: no client sees an error (cut and refused requests go to another server)', async () => {
    let stop = false;
    const statuses: number[] = [];
    const worker = async (): Promise<void> => {
      while (!stop) {
        const response = await fetch(`http://127.0.0.1:${port}/home`).catch(() => undefined);
        await response?.arrayBuffer();
        statuses.push(response?.status ?? 0);
      }
    };
    const workers = Array.from({ length: 4 }, () => worker());
    try {
      await eventually(async () => statuses.length >= 50, 'answers before the kill', 10_000);
      expect((await lblab('kill', 'server1')).code).toBe(0);
      await eventually(async () => (await serverStatus('server1'))?.health === 'down', 'server1 down', 5_000);
      const atDown = statuses.length;
      await eventually(async () => statuses.length >= atDown + 50, 'answers after the detection', 10_000);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect((await lblab('revive', 'server1')).code).toBe(0);
  });

  it('a verb with nothing to do says so and leaves the container as it was', async () => {
    expect((await lblab('kill', 'server2')).code).toBe(0);
    const again = await lblab('kill', 'server2');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('server2 is already stopped; nothing was changed');
    expect((await container('server2')).State).toMatchObject({ Running: false, ExitCode: 137 });
    expect((await lblab('revive', 'server2')).code).toBe(0);
    const revive = await lblab('revive', 'server2');
    expect(revive.stdout.trim()).toBe('server2 is already running; nothing was changed');
  });

  it('the balancer is a member: kill balancer, status and up say how to bring it back, revive balancer does', async () => {
    const killed = await lblab('kill', 'balancer');
    expect(killed.stdout.trim()).toBe(`killed balancer (SIGKILL); the lab serves nothing until \`lblab revive balancer --lab ${lab}\``);
    expect((await container('balancer')).State).toMatchObject({ Running: false, ExitCode: 137 });
    expect((await lblab('status')).stdout).toContain(`stopped: the lab serves nothing; bring it back with \`lblab revive balancer --lab ${lab}\``);
    const up = await runLblab(['up', '--port', String(port), '--lab', lab], env);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('but its balancer is stopped');
    const revived = await lblab('revive', 'balancer');
    expect(revived.code, revived.stderr).toBe(0);
    expect(revived.stdout).toContain('revived balancer; it answers again after');
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/home`)).status === 200, 'the balancer serving again', 10_000);
  });
});
