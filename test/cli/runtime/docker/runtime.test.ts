import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../balancer/config/config.js';
import { waitUntil } from '../../../../cli/lab/wait-until.js';
import { findFreePort } from '../../../../cli/runtime/ports.js';
import { createDockerRuntime, type DockerRuntime } from '../../../../cli/runtime/docker/docker-runtime.js';
import { LABEL, containerName } from '../../../../cli/runtime/docker/labels.js';
import type { LabMember, LabRuntimeInfo } from '../../../../cli/runtime/runtime.js';
import { describeDocker } from './engine-available.js';
import { downAndExpectGone, uniqueLab } from './lab-guard.js';
import { CRASH_SERVER, testBundles } from './test-bundles.js';

/** Polls until `check` returns a value, or fails after timeoutMs with the last error. */
function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  return waitUntil(check, { timeoutMs, intervalMs: 100, what });
}

async function serverIdVia(port: number): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status === 200 ? (response.headers.get('x-server-id') ?? undefined) : undefined;
}

function byName(members: readonly LabMember[]): Record<string, Pick<LabMember, 'role' | 'state' | 'exitCode'>> {
  return Object.fromEntries(
    members.map((member) => [member.name, { role: member.role, state: member.state, ...(member.exitCode === undefined ? {} : { exitCode: member.exitCode }) }]),
  );
}

describeDocker('docker runtime lab', { timeout: 120_000 }, () => {
  const lab = uniqueLab();
  const other = `${lab}p`;
  let runtime: DockerRuntime;
  let info: LabRuntimeInfo;

  beforeAll(async () => {
    runtime = createDockerRuntime({ bundles: await testBundles() });
    info = { lab, port: await findFreePort(), adminPort: await findFreePort() };
    await runtime.prepare(info);
    const servers = [];
    for (const name of ['server1', 'server2']) servers.push(await runtime.startServer(info, { name, app: 'factorial' }));
    await runtime.startBalancer(info, {
      config: {
        ...DEFAULT_CONFIG,
        health: { ...DEFAULT_CONFIG.health, intervalMs: 200, rise: 1, fall: 1 },
        servers: servers.map((server) => ({ name: server.name, url: server.upstreamUrl ?? '' })),
      },
    });
  }, 120_000);

  afterAll(async () => {
    // Also after a failed beforeAll: down needs no bundles.
    const teardown = (runtime as DockerRuntime | undefined) ?? createDockerRuntime();
    await downAndExpectGone(teardown, teardown.client, lab);
    await downAndExpectGone(teardown, teardown.client, other);
  });

  it('starts two servers and a balancer, all running and labelled', async () => {
    const members = await runtime.list(lab);
    expect(byName(members)).toEqual({
      server1: { role: 'server', state: 'running' },
      server2: { role: 'server', state: 'running' },
      balancer: { role: 'balancer', state: 'running' },
    });
    expect(members.find((member) => member.name === 'server2')?.upstreamUrl).toBe('http://server2:3000');
    expect(runtime.serverUrlTemplate()).toBe('http://{name}:3000');
    expect(await runtime.labs()).toContain(lab);

    const server = await runtime.client.inspectContainer(containerName(lab, 'server2'));
    expect(server.Config.Labels).toMatchObject({ [LABEL.lab]: lab, [LABEL.role]: 'server', [LABEL.server]: 'server2', [LABEL.app]: 'factorial' });
    expect(server.Config.User).toBe('10001:10001');
    expect(server.HostConfig).toMatchObject({ Memory: 256 * 1024 * 1024, NanoCpus: 0.5e9, ReadonlyRootfs: true });
    expect(server.Config.Env).toEqual(expect.arrayContaining(['LBLAB_SERVER_NAME=server2', 'LBLAB_PORT=3000', 'LBLAB_HOST=0.0.0.0', 'LBLAB_APP=factorial']));
    expect(server.NetworkSettings.Networks?.[`lblab-${lab}`]?.Aliases).toContain('server2');
    expect(server.HostConfig.PortBindings ?? {}).toEqual({});
  });

  it('publishes the balancer ports on 127.0.0.1 only', async () => {
    const balancer = await runtime.client.inspectContainer(containerName(lab, 'balancer'));
    expect(balancer.Config.Labels).toMatchObject({ [LABEL.role]: 'balancer', [LABEL.port]: String(info.port), [LABEL.adminPort]: String(info.adminPort) });
    expect(balancer.HostConfig.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(info.port) }],
      '8081/tcp': [{ HostIp: '127.0.0.1', HostPort: String(info.adminPort) }],
    });
    const published = Object.values(balancer.NetworkSettings.Ports ?? {}).flatMap((bindings) => bindings ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const binding of published) expect(binding.HostIp).toBe('127.0.0.1');
    expect(balancer.Config.User).toBe('10001:10001');
  });

  it('answers through the balancer with X-Server-Id of both servers', async () => {
    const seen = new Set<string>();
    await eventually(
      async () => {
        const id = await serverIdVia(info.port);
        if (id !== undefined) seen.add(id);
        return seen.size === 2 ? true : undefined;
      },
      20_000,
      'both servers answered through the balancer',
    );
    expect([...seen].sort()).toEqual(['server1', 'server2']);
  });

  it('kill leaves the container stopped with exit code 137; revive brings it back by name', async () => {
    await runtime.kill(lab, 'server2');
    expect(byName(await runtime.list(lab)).server2).toEqual({ role: 'server', state: 'stopped', exitCode: 137 });
    await runtime.kill(lab, 'server2'); // already stopped: nothing to do

    await runtime.revive(lab, 'server2');
    expect(byName(await runtime.list(lab)).server2).toEqual({ role: 'server', state: 'running' });
    // Same name and alias: the balancer reaches it again.
    await eventually(async () => ((await serverIdVia(info.port)) === 'server2' ? true : undefined), 20_000, 'server2 answered after revive');
  });

  it('pause and unpause', async () => {
    await runtime.pause(lab, 'server1');
    expect(byName(await runtime.list(lab)).server1?.state).toBe('paused');
    await runtime.pause(lab, 'server1');
    await runtime.unpause(lab, 'server1');
    expect(byName(await runtime.list(lab)).server1?.state).toBe('running');
  });

  it('kill works on a paused member too', async () => {
    await runtime.pause(lab, 'server2');
    await runtime.kill(lab, 'server2');
    expect(byName(await runtime.list(lab)).server2).toEqual({ role: 'server', state: 'stopped', exitCode: 137 });
    await expect(runtime.pause(lab, 'server2')).rejects.toMatchObject({ code: 'LBLAB_BAD_INPUT', message: `cannot pause server2 in lab ${lab}: it is stopped. Revive it first: lblab revive server2 --lab ${lab}` });
    await runtime.revive(lab, 'server2');
    expect(byName(await runtime.list(lab)).server2?.state).toBe('running');
  });

  it('a killed balancer revives on the same published ports', async () => {
    await runtime.kill(lab, 'balancer');
    expect(byName(await runtime.list(lab)).balancer).toEqual({ role: 'balancer', state: 'stopped', exitCode: 137 });
    await runtime.revive(lab, 'balancer');
    const id = await eventually(() => serverIdVia(info.port), 20_000, 'the revived balancer answered');
    expect(['server1', 'server2']).toContain(id);
  });

  it('passes faults to a server as env variables', async () => {
    const member = await runtime.startServer(info, { name: 'server3', app: 'greeting', username: 'ada', fault: { errorRate: 0.5, latencyMs: [100, 300] } });
    expect(member).toMatchObject({ name: 'server3', role: 'server', state: 'running', upstreamUrl: 'http://server3:3000' });
    const server = await runtime.client.inspectContainer(containerName(lab, 'server3'));
    expect(server.Config.Env).toEqual(
      expect.arrayContaining(['LBLAB_APP=greeting', 'LBLAB_USERNAME=ada', 'LBLAB_FAULT_ERROR_RATE=0.5', 'LBLAB_FAULT_LATENCY_MS=100-300']),
    );
    await expect(runtime.startServer(info, { name: 'server3', app: 'greeting' })).rejects.toMatchObject({
      code: 'LBLAB_BAD_INPUT',
      message: `server3 already runs in lab ${lab} (container ${lab}-server3). Remove it first: lblab rm server3 --lab ${lab}`,
    });
    await runtime.remove(lab, 'server3');
  });

  it('logs returns the last lines, and follow stops on abort', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await runtime.logs(lab, 'server1', { follow: false, tail: 50, out });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\n').filter((line) => line !== '').length).toBeGreaterThan(0);
    expect(text).toContain('server1');

    const followed = new PassThrough();
    const controller = new AbortController();
    followed.once('data', () => controller.abort());
    await runtime.logs(lab, 'balancer', { follow: true, tail: 5, out: followed, signal: controller.signal });
    expect(controller.signal.aborted).toBe(true);
  });

  it('names unknown members', async () => {
    await expect(runtime.kill(lab, 'server9')).rejects.toMatchObject({
      code: 'LBLAB_UNKNOWN_SERVER',
      message: `no member server9 in lab ${lab}; members: server1, server2, balancer. Their states: lblab status --lab ${lab}`,
    });
    await expect(runtime.pause(`${lab}none`, 'server1')).rejects.toMatchObject({ code: 'LBLAB_LAB_NOT_UP' });
  });

  it('a port in use fails with LBLAB_PORT_IN_USE and leaves no balancer container', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const error = await runtime
        .startBalancer({ lab: other, port, adminPort: await findFreePort() }, { config: DEFAULT_CONFIG })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'LBLAB_PORT_IN_USE', message: `port ${port} on 127.0.0.1 is already in use; choose another with --port` });
      expect(await runtime.list(other)).toEqual([]);
    } finally {
      blocker.close();
    }
    // Ports the engine itself published (the first lab's) are caught too.
    await expect(runtime.startBalancer({ lab: other, port: info.port, adminPort: await findFreePort() }, { config: DEFAULT_CONFIG })).rejects.toMatchObject({
      message: `port ${info.port} on 127.0.0.1 is already in use; choose another with --port`,
    });
  });

  it('remove deletes one member', async () => {
    await runtime.remove(lab, 'server1');
    expect(Object.keys(byName(await runtime.list(lab)))).toEqual(['server2', 'balancer']);
  });

  it('down removes every container and the network, and reports them', async () => {
    const result = await runtime.down(lab);
    expect(result).toEqual({ removed: ['server2', 'balancer', `network lblab-${lab}`], errors: [] });
    expect(await runtime.list(lab)).toEqual([]);
    expect(await runtime.labs()).not.toContain(lab);
  });
});

describeDocker('docker runtime start failures', { timeout: 120_000 }, () => {
  const lab = uniqueLab();

  it('a server that exits at once fails with its last log lines', async () => {
    // A watch long enough for a loaded machine to start node and see it exit: the exit ends the watch at once.
    const runtime = createDockerRuntime({ bundles: { ...(await testBundles()), server: CRASH_SERVER }, exitWatchMs: 15_000 });
    try {
      const info = { lab, port: 0, adminPort: 0 };
      await runtime.prepare(info);
      await expect(runtime.startServer(info, { name: 'server1', app: 'greeting' })).rejects.toMatchObject({
        code: 'LBLAB_NOT_READY',
        message: `server server1 (container ${lab}-server1) exited with code 3 right after it started; last log lines:\n  boom: bad configuration`,
      });
      // A half-started lab (network, a dead container) goes with down.
      expect(await runtime.labs()).toContain(lab);
    } finally {
      await downAndExpectGone(runtime, runtime.client, lab);
      for (const image of await runtime.client.listImages({ label: [`${LABEL.source}=${CRASH_SERVER}`] })) {
        await runtime.client.removeImage(image.Id, { force: true });
      }
    }
  });
});
