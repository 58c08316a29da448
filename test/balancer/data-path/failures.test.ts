import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { send } from '../fixtures/http-client.js';
import { serverStats, serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { closedPort } from '../fixtures/upstream.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

const NO_HEALTH_CHECKS = { enabled: false };

describe('failures the balancer answers itself', () => {
  it('502 with JSON naming the server when the upstream port is closed', async () => {
    const port = await closedPort();
    const balancer = await testBalancer({ servers: [{ name: 'gone', url: `http://127.0.0.1:${port}` }], health: NO_HEALTH_CHECKS });

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(502);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json).toEqual({
      status: 'failure',
      message: expect.stringMatching(/^upstream gone failed before responding: .*ECONNREFUSED/),
      server: 'gone',
    });
    expect(serverStats(balancer, 'gone')).toMatchObject({ requests: 1, successes: 0, errors: 1, inFlight: 0 });
    expect(balancer.stats().totals).toEqual({ requests: 1, errors: 1, inFlight: 0 });
  });

  it('502 when the upstream resets the connection before answering', async () => {
    const [server] = await upstreams(1, { behavior: { reset: true } });
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(502);
    expect(response.json).toEqual({
      status: 'failure',
      message: expect.stringMatching(/^upstream server1 failed before responding: .*ECONNRESET/),
      server: 'server1',
    });
    expect(serverStats(balancer, 'server1')?.inFlight).toBe(0);
  });

  it('503 with JSON listing every server and its health when none is up', async () => {
    const servers = await upstreams(2, { health: { status: 500 } });
    const balancer = await testBalancer({ servers: serversOf(servers) });
    await waitFor(() => servers.every((s) => s.healthChecks >= 2), { what: 'two checks per server' });

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(503);
    expect(response.json).toEqual({
      status: 'failure',
      message: 'no healthy server: server1 down, server2 down',
      servers: [
        { name: 'server1', health: 'down' },
        { name: 'server2', health: 'down' },
      ],
    });
  });

  it('503 saying no servers are registered when the pool is empty', async () => {
    const balancer = await testBalancer();

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(503);
    expect(response.json).toEqual({ status: 'failure', message: 'no healthy server: no servers are registered', servers: [] });
  });

  it('504 when the upstream sends no response headers within upstreamTimeoutMs, and the slot is freed', async () => {
    const [server] = await upstreams(1, { behavior: { hang: true } });
    const balancer = await testBalancer({ servers: serversOf([server!]), upstreamTimeoutMs: 100 });
    await waitForHealth(balancer, 'up');

    const response = await send(`${balancer.url}/home`);

    expect(response.status).toBe(504);
    expect(response.json).toEqual({
      status: 'failure',
      message: 'upstream server1 did not respond within 100 ms',
      server: 'server1',
    });
    expect(serverStats(balancer, 'server1')).toMatchObject({ errors: 1, inFlight: 0 });
    await waitFor(() => server!.inFlight === 0, { what: 'the upstream request to be aborted' });
  });

  it('aborts the upstream request when the client goes away, and frees the slot', async () => {
    const [server] = await upstreams(1, { behavior: { hang: true } });
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const request = http.get(`${balancer.url}/home`, { agent: false });
    request.on('error', () => {});
    await waitFor(() => server!.inFlight === 1, { what: 'the request to reach the upstream' });
    expect(serverStats(balancer, 'server1')?.inFlight).toBe(1);
    request.destroy();

    await waitFor(() => server!.aborted === 1, { what: 'the upstream to see the abort' });
    await waitFor(() => serverStats(balancer, 'server1')?.inFlight === 0, { what: 'the slot to be released' });
    expect(balancer.stats().totals.inFlight).toBe(0);
  });

  it('never answers a balancer-side failure with 400', async () => {
    const port = await closedPort();
    const balancer = await testBalancer({ servers: [{ name: 'gone', url: `http://127.0.0.1:${port}` }], health: NO_HEALTH_CHECKS });

    const statuses = await Promise.all(['/a', '/b?id=1', '/%zz'].map(async (path) => (await send(`${balancer.url}${path}`)).status));

    expect(statuses).toEqual([502, 502, 502]);
  });
});
