import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { startBalancer, type BalancerHandle } from '../../../balancer/balancer.js';
import { DEFAULT_CONFIG, type BalancerConfig } from '../../../balancer/config/config.js';
import { LabFeed } from '../../../cli/dashboard/lab-feed.js';

interface Upstream {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

/** A sample server in miniature: 200 on every path, X-Server-Id set. */
async function startUpstream(name: string, port = 0): Promise<Upstream> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-server-id': name });
    res.end(JSON.stringify({ server: name }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function balancerConfig(upstreams: readonly Upstream[], adminPort = 0): BalancerConfig {
  return {
    ...DEFAULT_CONFIG,
    port: 0,
    adminPort,
    servers: upstreams.map((upstream) => ({ name: upstream.name, url: upstream.url })),
    health: { ...DEFAULT_CONFIG.health, intervalMs: 50, timeoutMs: 200, fall: 1, rise: 1 },
  };
}

async function sendRequests(url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await (await fetch(`${url}/?i=${i}`)).text();
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('LabFeed against a real balancer (in-process)', () => {
  test('sees traffic, a health change with its event, the balancer going away and coming back', async () => {
    const upstreams = [await startUpstream('server1'), await startUpstream('server2')];
    cleanups.push(() => Promise.all(upstreams.map((u) => u.close())).then(() => undefined));
    let balancer: BalancerHandle = await startBalancer(balancerConfig(upstreams), { log: () => undefined });
    cleanups.push(() => balancer.close());
    // A rate window longer than the test, so the shares cover all its traffic however slow the machine is.
    const feed = new LabFeed({ lab: 'inproc', adminUrl: balancer.adminUrl, statsIntervalMs: 50, retryDelaysMs: [100], rateWindowMs: 600_000 }).start();
    cleanups.push(() => feed.stop());

    // The stats poll and the event stream connect independently: wait for both.
    await vi.waitFor(
      () => {
        expect(feed.snapshot().servers.map((s) => s.health)).toEqual(['up', 'up']);
        expect(feed.snapshot().eventStream).toBe('open');
      },
      { timeout: 5_000 },
    );

    // Traffic: both servers take a share under round robin.
    await sendRequests(balancer.url, 40);
    await vi.waitFor(() => expect(feed.snapshot().totals.requests).toBe(40), { timeout: 5_000 });
    expect(feed.snapshot().servers.map((s) => s.requests)).toEqual([20, 20]);
    expect(feed.snapshot().servers.every((s) => Math.abs(s.share - 0.5) < 1e-9)).toBe(true);

    // server2 dies: the health checks take it down and the event stream says so.
    await upstreams[1]!.close();
    await vi.waitFor(
      () => {
        const state = feed.snapshot();
        expect(state.servers.find((s) => s.name === 'server2')?.health).toBe('down');
        expect(state.events.some((e) => e.text === 'server2 up -> down')).toBe(true);
      },
      { timeout: 5_000 },
    );

    // The balancer goes away: a state, not a crash.
    const adminPort = balancer.adminPort;
    await balancer.close();
    await vi.waitFor(() => expect(feed.snapshot().connection?.status).toBe('lost'), { timeout: 5_000 });
    expect(feed.snapshot().eventStream).toBe('retrying');

    // ... and comes back on the same admin port.
    balancer = await startBalancer(balancerConfig([upstreams[0]!], adminPort), { log: () => undefined });
    await vi.waitFor(
      () => {
        const state = feed.snapshot();
        expect(state.connection?.status).toBe('live');
        expect(state.eventStream).toBe('open');
        expect(state.servers.map((s) => s.name)).toEqual(['server1']);
      },
      { timeout: 5_000 },
    );
    expect(feed.snapshot().events.some((e) => e.text === 'balancer reachable again')).toBe(true);
  });
});
