// The balancer protects itself (issue 11): health checks that its own stalled
// event loop cannot turn into false "down", a cap on client connections, and
// the saturation of its event loop in /stats and /metrics.
import http from 'node:http';

import { describe, expect, it } from 'vitest';

import type { BalancerEvent } from '../../../balancer/api-types.js';
import { openEventStream } from '../fixtures/event-stream-client.js';
import { send } from '../fixtures/http-client.js';
import { onCleanup, serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

/** Blocks this process's event loop (where the in-process balancer runs) for `ms`, as a saturated balancer would be. */
function busyLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Deliberately synchronous: nothing else runs meanwhile.
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

describe('health checks on a stalled balancer', () => {
  it('marks no healthy server down while its own event loop is blocked longer than the check timeout', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ servers: serversOf(servers), health: { intervalMs: 20, timeoutMs: 50, fall: 1, rise: 1 } });
    await waitForHealth(balancer, 'up');
    const events = await openEventStream(`${balancer.adminUrl}/events`);
    onCleanup(async () => events.close());
    const checksBefore = servers.map((s) => s.healthChecks);

    // Ten stalls of 4 × the check timeout, with a short turn between them for checks to start.
    for (let i = 0; i < 10; i++) {
      busyLoop(200);
      await nextTurn();
    }
    await waitFor(() => servers.every((s, i) => s.healthChecks > checksBefore[i]! + 2), { what: 'more checks after the stalls' });

    const downs = events.events.filter((e: BalancerEvent) => e.type === 'health' && e.health === 'down');
    expect(downs).toEqual([]);
    expect(balancer.stats().servers.map((s) => s.health)).toEqual(['up', 'up', 'up']);
  });

  it('still marks a hung server down when the balancer is not late', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers), health: { intervalMs: 20, timeoutMs: 50, fall: 2, rise: 1 } });
    await waitForHealth(balancer, 'up');

    servers[1]!.health = { hang: true };

    const stats = await waitForHealth(balancer, 'down', ['server2']);
    expect(stats.servers.map((s) => s.health)).toEqual(['up', 'down']);
  });
});

describe('maxConnections', () => {
  it('answers 503 JSON at once on a connection over the cap, and serves again when one closes', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]), maxConnections: 2 });
    await waitForHealth(balancer, 'up');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    onCleanup(async () => agent.destroy());
    // Two kept-alive connections take the two places.
    await Promise.all([send(`${balancer.url}/home`, { agent }), send(`${balancer.url}/home`, { agent })]);
    await waitFor(() => agent.freeSockets[Object.keys(agent.freeSockets)[0] ?? '']?.length === 2, { what: 'two idle kept-alive connections' });

    const refused = await send(`${balancer.url}/home`);

    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.json).toEqual({
      status: 'failure',
      message: 'the balancer has 3 client connections open, more than its limit of 2 (maxConnections); try again',
    });
    expect((await send(`${balancer.adminUrl}/metrics`)).text).toContain('lblab_balancer_failures_total{reason="max_connections"} 1');

    agent.destroy();
    const served = await waitFor(
      async () => {
        const response = await send(`${balancer.url}/home`);
        return response.status === 200 ? response : undefined;
      },
      { what: 'a request to be served once the kept-alive connections closed' },
    );
    expect(served.headers['x-server-id']).toBe('server1');
  });
});

describe('saturation of the balancer', () => {
  it('reports its event loop over the last window in /stats and /metrics', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    busyLoop(300);

    const stats = await waitFor(() => balancer.stats().saturation, { what: 'the first saturation window' });

    expect(stats.eventLoopUtilization).toBeGreaterThan(0);
    expect(stats.eventLoopUtilization).toBeLessThanOrEqual(1);
    expect(stats.windowMs).toBeGreaterThan(0);
    expect(stats.saturated).toBe(stats.eventLoopUtilization > 0.9 || stats.eventLoopDelayP99Ms > 50);
    const text = (await send(`${balancer.adminUrl}/metrics`)).text;
    expect(text).toMatch(/^lblab_event_loop_utilization (0|0\.\d+|1)$/m);
    expect(text).toMatch(/^lblab_event_loop_delay_p99_seconds \d/m);
  });
});
