// The bundled balancer with `workers: 2`, as a lab runs it: a cluster primary
// and two workers sharing the data port, against real upstreams.
import { spawn, type ChildProcess } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BalancerStats } from '../../../balancer/api-types.js';
import { bundleBalancer, type BalancerBundle } from '../fixtures/balancer-bundle.js';
import { openEventStream } from '../fixtures/event-stream-client.js';
import { send, sendJson } from '../fixtures/http-client.js';
import { TEST_HEALTH, upstreams } from '../fixtures/test-balancer.js';
import type { Upstream } from '../fixtures/upstream.js';
import { waitFor } from '../fixtures/wait-for.js';

let bundle: BalancerBundle;
let primary: ChildProcess;
let exited: Promise<number | null>;
let stdout = '';
let url: string;
let adminUrl: string;
let servers: Upstream[];

async function stats(): Promise<BalancerStats> {
  return (await send(`${adminUrl}/stats`)).json as BalancerStats;
}

/** `count` requests, each on a fresh connection (so the primary hands them to both workers); the server of each. */
async function serverIds(count: number, path = '/home'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await send(`${url}${path}`);
    expect(answer.status).toBe(200);
    ids.push(String(answer.headers['x-server-id']));
  }
  return ids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  bundle = await bundleBalancer();
  servers = await upstreams(3);
  const config = { port: 0, adminPort: 0, workers: 2, servers: servers.map((s) => ({ name: s.name, url: s.url })), health: TEST_HEALTH };
  primary = spawn(process.execPath, [bundle.file], { env: { ...process.env, LBLAB_BALANCER_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((resolve) => primary.on('exit', (code) => resolve(code)));
  primary.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const [, data, admin] = await waitFor(() => /listening data (\S+) admin (\S+)\n/.exec(stdout) ?? undefined, { what: 'the listening line', timeoutMs: 20_000 });
  url = data as string;
  adminUrl = admin as string;
  await waitFor(async () => (await stats()).servers.every((s) => s.health === 'up'), { what: 'every server up', timeoutMs: 10_000 });
}, 30_000);

afterAll(async () => {
  const pids = primary.exitCode === null ? ((await stats().catch(() => undefined))?.workers?.map((w) => w.pid) ?? []) : [];
  if (primary.exitCode === null && primary.signalCode === null) primary.kill('SIGKILL');
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(servers.map((s) => s.close()));
  await bundle.remove();
});

describe('balancer with two workers', () => {
  it('answers through both workers, and /stats sums what each counted', async () => {
    const before = await stats();
    const ids = await serverIds(60);
    expect(new Set(ids)).toEqual(new Set(servers.map((s) => s.name)));
    const after = await stats();
    expect(after.totals.requests - before.totals.requests).toBe(60);
    expect(after.servers.reduce((n, s) => n + s.requests, 0) - before.servers.reduce((n, s) => n + s.requests, 0)).toBe(60);
    expect(after.workers?.map((w) => w.answered)).toEqual([true, true]);
    for (const worker of after.workers ?? []) expect(worker.requests).toBeGreaterThan(0);
    expect((after.workers ?? []).reduce((n, w) => n + w.requests, 0)).toBe(after.totals.requests);
    const metrics = (await send(`${adminUrl}/metrics`)).text;
    const counted = [...metrics.matchAll(/^lblab_request_duration_seconds_count\{server="[^"]+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(counted).toBe(after.totals.requests);
  });

  it('applies an algorithm change in every worker', async () => {
    expect((await sendJson(`${adminUrl}/algorithm`, 'PUT', { algorithm: 'consistent-hash' })).status).toBe(200);
    const before = await stats();
    const ids = await serverIds(40, '/home?id=user-42');
    const after = await stats();
    // Both workers took some of these requests, and the same ring sent each to the same server.
    for (const [i, worker] of (after.workers ?? []).entries()) expect(worker.requests).toBeGreaterThan(before.workers?.[i]?.requests ?? 0);
    expect(new Set(ids).size).toBe(1);
    expect(after.algorithm).toBe('consistent-hash');
    expect((await sendJson(`${adminUrl}/algorithm`, 'PUT', { algorithm: 'round-robin' })).status).toBe(200);
  });

  it('stops sending to a server in every worker once the one health checker marks it down', async () => {
    const victim = servers[2] as Upstream;
    await victim.close();
    await waitFor(async () => (await stats()).servers.find((s) => s.name === victim.name)?.health === 'down', { what: `${victim.name} down` });
    const before = await stats();
    const ids = await serverIds(100);
    expect(ids).not.toContain(victim.name);
    const after = await stats();
    for (const [i, worker] of (after.workers ?? []).entries()) expect(worker.requests).toBeGreaterThan(before.workers?.[i]?.requests ?? 0);
  });

  it('starts a killed worker again and says so on /events', async () => {
    const events = await openEventStream(`${adminUrl}/events`);
    try {
      const victim = (await stats()).workers?.[0]?.pid as number;
      process.kill(victim, 'SIGKILL');
      const event = await waitFor(() => events.events.find((e) => e.type === 'worker'), { what: 'a worker event', timeoutMs: 10_000 });
      expect(event.detail).toMatch(new RegExp(`^worker 1 \\(pid ${victim}\\) exited with signal SIGKILL; started again as pid \\d+$`));
      const restarted = await waitFor(async () => {
        const worker = (await stats()).workers?.[0];
        return worker?.answered === true && worker.pid !== victim ? worker : undefined;
      }, { what: 'worker 1 answering again', timeoutMs: 10_000 });
      expect(restarted.restarts).toBe(1);
      expect(alive(victim)).toBe(false);
      expect(await serverIds(10)).toHaveLength(10);
    } finally {
      events.close();
    }
  });

  it('closes the primary and every worker on SIGTERM', async () => {
    const pids = ((await stats()).workers ?? []).map((w) => w.pid);
    expect(pids).toHaveLength(2);
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => pids.every((pid) => !alive(pid)), { what: 'no worker left' });
  });
});
