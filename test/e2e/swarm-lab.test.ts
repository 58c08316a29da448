import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DockerodeClient } from '../../cli/runtime/docker/dockerode-client.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import type { RunSummary } from '../../cli/report/run-summary.js';
import { describeDocker } from '../cli/runtime/docker/engine-available.js';
import { pngSize } from '../cli/report/fixtures/png.js';
import { oneNodeSwarm, type OneNodeSwarm } from '../cli/runtime/swarm/one-node-swarm.js';
import { freePortPair } from '../helpers/free-ports.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';

interface StatusJson {
  runtime: string;
  servers: { name: string; state: string; health: string; node?: string }[];
}

describeDocker('lblab on a one-node Docker Swarm, through the built binary', () => {
  const lab = `sw${process.pid}`;
  const runLab = `${lab}r`;
  const client = new DockerodeClient();
  let swarm: OneNodeSwarm | undefined;
  let home: string;
  let port: number;
  let env: Record<string, string>;

  const lblab = (...args: string[]) => runLblab([...args, '--lab', lab], env);
  const status = async (): Promise<StatusJson> => JSON.parse((await lblab('status', '--json')).stdout) as StatusJson;
  const serverStatus = async (name: string) => (await status()).servers.find((s) => s.name === name);
  const service = async (name: string) => {
    const [found] = await client.listServices({ label: [`lblab.lab=${lab}`, `lblab.server=${name}`] });
    return found;
  };
  const serversSeen = async (requests: number): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/home`);
      const server = response.headers.get('x-server-id') ?? '(none)';
      await response.arrayBuffer();
      counts[server] = (counts[server] ?? 0) + 1;
    }
    return counts;
  };
  const leftOf = async (name: string) => ({
    services: await client.listServices(labFilter(name)),
    containers: await client.listContainers(labFilter(name)),
    networks: await client.listNetworks(labFilter(name)),
  });

  beforeAll(async () => {
    swarm = await oneNodeSwarm();
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-swarm-e2e-'));
    env = { LBLAB_HOME: home };
    port = await freePortPair();
    const result = await runLblab(['up', '--runtime', 'swarm', '--servers', '3', '--port', String(port), '--lab', lab], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`lab ${lab} is up in`);
    expect(result.stdout).toContain('(swarm runtime)');
  }, 180_000);

  afterAll(async () => {
    try {
      // From an empty state folder: the labels alone find everything.
      const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'lblab-swarm-down-'));
      const result = await runLblab(['down', '--lab', lab], { LBLAB_HOME: elsewhere });
      await runLblab(['down', '--lab', runLab], env);
      await rm(elsewhere, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('network lblab-' + lab);
      expect(await leftOf(lab)).toEqual({ services: [], containers: [], networks: [] });
      expect(await leftOf(runLab)).toEqual({ services: [], containers: [], networks: [] });
    } finally {
      await swarm?.leave();
    }
  }, 120_000);

  it('runs each server as a one-replica dnsrr service on an attachable overlay network, and the balancer as a container published on 127.0.0.1 only', async () => {
    const services = await client.listServices(labFilter(lab));
    expect(services.map((s) => s.Spec.Name).sort()).toEqual([`${lab}-server1`, `${lab}-server2`, `${lab}-server3`]);
    for (const s of services) {
      expect(s.Spec.Mode.Replicated.Replicas).toBe(1);
      expect(s.Spec.EndpointSpec.Mode).toBe('dnsrr');
      expect(s.Spec.TaskTemplate.RestartPolicy.Condition).toBe('none');
      expect(s.Spec.Labels).toMatchObject({ 'lblab.lab': lab, 'lblab.role': 'server' });
    }
    const [network] = await client.listNetworks(labFilter(lab));
    expect(network).toMatchObject({ Name: `lblab-${lab}`, Labels: { 'lblab.runtime': 'swarm' } });
    const [balancer] = (await client.listContainers(labFilter(lab))).filter((c) => c.Labels['lblab.role'] === 'balancer');
    if (balancer === undefined) throw new Error('no balancer container');
    const inspected = await client.inspectContainer(balancer.Id);
    const published = Object.values(inspected.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? []);
    expect(published.map((b) => `${b.HostIp}:${b.HostPort}`).sort()).toEqual([`127.0.0.1:${port}`, `127.0.0.1:${port + 1}`]);
    expect(Object.keys(inspected.NetworkSettings.Networks ?? {})).toEqual([`lblab-${lab}`]);
  });

  it('status shows the node of each server', async () => {
    const [node] = await client.listNodes();
    const hostname = node?.Description?.Hostname;
    expect(hostname).toBeTruthy();
    expect((await status()).servers.map((s) => [s.name, s.node])).toEqual([
      ['server1', hostname],
      ['server2', hostname],
      ['server3', hostname],
    ]);
    const table = (await lblab('status')).stdout;
    expect(table).toMatch(/^SERVER +NODE +STATE/m);
    expect(table).toMatch(new RegExp(`^server2 +${hostname} +running +up`, 'm'));
  });

  it('answers with X-Server-Id of each service, round robin', async () => {
    expect(await serversSeen(30)).toEqual({ server1: 10, server2: 10, server3: 10 });
  });

  it('kill scales server2 to 0 and the balancer marks it down; revive scales it back, same name', async () => {
    const killed = await lblab('kill', 'server2');
    expect(killed.code, killed.stderr).toBe(0);
    expect((await service('server2'))?.Spec.Mode.Replicated.Replicas).toBe(0);
    await eventually(async () => (await serverStatus('server2'))?.health === 'down', 'server2 down', 15_000);
    expect(await serverStatus('server2')).toMatchObject({ state: 'stopped', health: 'down' });
    expect((await serversSeen(20)).server2).toBeUndefined();

    const revived = await lblab('revive', 'server2');
    expect(revived.code, revived.stderr).toBe(0);
    expect((await service('server2'))?.Spec.Mode.Replicated.Replicas).toBe(1);
    await eventually(async () => (await serverStatus('server2'))?.health === 'up', 'server2 up', 30_000);
    expect((await serversSeen(30)).server2).toBe(10);
  }, 120_000);

  it('pause and unpause act on the task container on this node', async () => {
    const paused = await lblab('pause', 'server3');
    expect(paused.code, paused.stderr).toBe(0);
    await eventually(async () => (await serverStatus('server3'))?.health === 'down', 'server3 down by timeout', 15_000);
    expect((await serverStatus('server3'))?.state).toBe('paused');
    const unpaused = await lblab('unpause', 'server3');
    expect(unpaused.code, unpaused.stderr).toBe(0);
    expect(await serverStatus('server3')).toMatchObject({ state: 'running', health: 'up' });
  }, 120_000);

  it('add creates a service that joins the balancer; rm removes it', async () => {
    const added = await lblab('add', 'server4');
    expect(added.code, added.stderr).toBe(0);
    expect((await service('server4'))?.Spec.Name).toBe(`${lab}-server4`);
    expect(Object.keys(await serversSeen(40)).sort()).toEqual(['server1', 'server2', 'server3', 'server4']);
    const removed = await lblab('rm', 'server4');
    expect(removed.code, removed.stderr).toBe(0);
    expect(await service('server4')).toBeUndefined();
  }, 120_000);

  it('shows the logs of a service and of the balancer', async () => {
    const server = await lblab('logs', 'server1', '--tail', '20');
    expect(server.code, server.stderr).toBe(0);
    expect(server.stdout).toContain('server1 started app=factorial');
    const balancer = await lblab('logs', 'balancer', '--tail', '50');
    expect(balancer.stdout).toMatch(/health server2 up -> down/);
  });

  it('finds the lab from the engine labels alone, as from another folder', async () => {
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'lblab-swarm-elsewhere-'));
    try {
      const result = await runLblab(['status', '--json', '--lab', lab], { LBLAB_HOME: elsewhere });
      expect(result.code, result.stderr).toBe(0);
      const found = JSON.parse(result.stdout) as StatusJson;
      expect(found.runtime).toBe('swarm');
      expect(found.servers.map((s) => [s.name, s.health])).toEqual([
        ['server1', 'up'],
        ['server2', 'up'],
        ['server3', 'up'],
      ]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('runs a short scenario with a kill on a lab of its own, writes the charts and tears the lab down', async () => {
    const file = path.join(home, 'short-kill.yaml');
    await writeFile(
      file,
      [
        'name: short-kill',
        'lab:',
        '  servers: 3',
        '  runtime: swarm',
        '  health: {intervalMs: 200ms, timeoutMs: 1000ms, fall: 2, rise: 2}',
        'phases:',
        '  - {name: steady, kind: open, rate: 100, duration: 3s, path: /home}',
        'actions:',
        '  - {at: 1s, action: kill, target: server2}',
        'thresholds:',
        '  errorRate: "< 0.5"',
        '',
      ].join('\n'),
    );
    const out = path.join(home, 'short-kill-results');
    const result = await runLblab(['run', file, '--lab', runLab, '--out', out, '--seed', '3'], env, 150_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('action kill server2');
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.lab).toMatchObject({ runtime: 'swarm', servers: ['server1', 'server2', 'server3'] });
    expect(summary.totals.requests).toBeGreaterThan(0);
    for (const png of ['distribution.png', 'timeline.png', 'latency.png']) {
      const size = pngSize(await readFile(path.join(out, png)));
      expect(size.widthPx).toBeGreaterThan(0);
    }
    expect(await leftOf(runLab)).toEqual({ services: [], containers: [], networks: [] });
  }, 180_000);
});
