import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { send } from '../fixtures/http-client.js';
import { onCleanup, serverStats, serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

function firstAvailable(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { algorithm: 'first-available', algorithmOptions: { capacity: 1 }, ...extra };
}

/** Starts a GET that the test later abandons; destroyed after the test. */
function startAbandoned(url: string): http.ClientRequest {
  const request = http.get(url, { agent: false });
  request.on('error', () => {});
  onCleanup(async () => {
    request.destroy();
  });
  return request;
}

describe('first-available with a FIFO queue', () => {
  it('rotates sequential requests: the server idle longest takes the next one (seed 000)', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer(firstAvailable({ servers: serversOf(servers) }));
    await waitForHealth(balancer, 'up');

    const ids: unknown[] = [];
    for (let i = 0; i < 7; i++) ids.push((await send(`${balancer.url}/home`)).headers['x-server-id']);

    expect(ids).toEqual(['server1', 'server2', 'server3', 'server1', 'server2', 'server3', 'server1']);
  });

  it('serves 6 concurrent requests on 3 slow servers of capacity 1, never more than 1 at once per server', async () => {
    const servers = await upstreams(3, { behavior: { delayMs: 60 } });
    const balancer = await testBalancer(firstAvailable({ servers: serversOf(servers) }));
    await waitForHealth(balancer, 'up');

    const responses = await Promise.all(Array.from({ length: 6 }, () => send(`${balancer.url}/home`)));

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(servers.map((s) => s.peakInFlight)).toEqual([1, 1, 1]);
    expect(servers.reduce((sum, s) => sum + s.requests.length, 0)).toBe(6);
    expect(balancer.stats().totals).toEqual({ requests: 6, errors: 0, inFlight: 0 });
  });

  it('answers 503 when a request waits longer than queueTimeoutMs', async () => {
    const [server] = await upstreams(1, { behavior: { hang: true } });
    const balancer = await testBalancer(firstAvailable({ servers: serversOf([server!]), queueTimeoutMs: 50 }));
    await waitForHealth(balancer, 'up');
    startAbandoned(`${balancer.url}/home`);
    await waitFor(() => server!.inFlight === 1, { what: 'the first request to take the only slot' });

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(503);
    expect(response.json).toEqual({
      status: 'failure',
      message: 'no server became free within 50 ms (first-available queue, 0 still waiting)',
    });
  });

  it('answers 503 at once when the queue is full', async () => {
    const [server] = await upstreams(1, { behavior: { hang: true } });
    const balancer = await testBalancer(firstAvailable({ servers: serversOf([server!]), queueMaxLength: 1 }));
    await waitForHealth(balancer, 'up');
    startAbandoned(`${balancer.url}/home`);
    await waitFor(() => server!.inFlight === 1, { what: 'the first request to take the only slot' });
    startAbandoned(`${balancer.url}/home`);
    await waitFor(() => balancer.stats().totals.inFlight === 2, { what: 'the second request to queue' });

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(503);
    expect(response.json).toEqual({ status: 'failure', message: 'every server is busy and the queue is full (1 waiting)' });
  });

  it('frees the slot when the server fails, so queued requests go on (no lost slot)', async () => {
    const [server] = await upstreams(1, { behavior: { reset: true } });
    const balancer = await testBalancer(firstAvailable({ servers: serversOf([server!]), queueTimeoutMs: 5_000 }));
    await waitForHealth(balancer, 'up');

    const responses = await Promise.all(Array.from({ length: 4 }, () => send(`${balancer.url}/home`)));

    expect(responses.map((r) => r.status)).toEqual([502, 502, 502, 502]);
    expect(serverStats(balancer, 'server1')).toMatchObject({ requests: 4, errors: 4, inFlight: 0 });
  });

  it('removes a waiting request whose client left, and frees the slot of one that left mid-request', async () => {
    const [server] = await upstreams(1, { behavior: { hang: true } });
    const balancer = await testBalancer(firstAvailable({ servers: serversOf([server!]), queueTimeoutMs: 5_000 }));
    await waitForHealth(balancer, 'up');
    const first = startAbandoned(`${balancer.url}/home`);
    await waitFor(() => server!.inFlight === 1, { what: 'the first request to take the only slot' });
    const second = startAbandoned(`${balancer.url}/home`);
    await waitFor(() => balancer.stats().totals.inFlight === 2, { what: 'the second request to queue' });

    second.destroy();
    await waitFor(() => balancer.stats().totals.inFlight === 1, { what: 'the queued request to go' });
    first.destroy();
    await waitFor(() => balancer.stats().totals.inFlight === 0 && serverStats(balancer, 'server1')?.inFlight === 0, {
      what: 'the slot to be released',
    });

    server!.behavior = {};
    expect((await send(`${balancer.url}/home`)).status).toBe(200);
  });

  it('hands waiting requests over when the algorithm changes', async () => {
    const [server] = await upstreams(1, { behavior: { delayMs: 30 } });
    const balancer = await testBalancer(firstAvailable({ servers: serversOf([server!]) }));
    await waitForHealth(balancer, 'up');
    server!.behavior = { hang: true };
    startAbandoned(`${balancer.url}/home`);
    await waitFor(() => server!.inFlight === 1, { what: 'the first request to take the only slot' });
    server!.behavior = {};
    const waiting = send(`${balancer.url}/home`);
    await waitFor(() => balancer.stats().totals.inFlight === 2, { what: 'the second request to queue' });

    await send(`${balancer.adminUrl}/algorithm`, {
      method: 'PUT',
      body: JSON.stringify({ algorithm: 'round-robin' }),
      headers: { 'content-type': 'application/json' },
    });

    expect((await waiting).status).toBe(200);
  });
});
