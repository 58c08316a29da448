// What the balancer does when a server dies or hangs under a request (issue
// 11): sessions of a server marked down are shut down, a connect timeout apart
// from the response timeout, never-sent requests go elsewhere whatever the method.
import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { blackholeUrl } from '../fixtures/blackhole.js';
import { send } from '../fixtures/http-client.js';
import { onCleanup, serversOf, testBalancer, upstreams, useCleanup, waitForHealth, type TestBalancer } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

/** Health checks that notice a hung /health after two 100 ms timeouts. */
const QUICK_HEALTH = { intervalMs: 50, timeoutMs: 100, fall: 2, rise: 2 };
const NO_EJECTION = { enabled: false };

async function hungFirstServer(extra: Record<string, unknown> = {}): Promise<{ balancer: TestBalancer; hung: Awaited<ReturnType<typeof upstreams>>[number] }> {
  const servers = await upstreams(3);
  const balancer = await testBalancer({ servers: serversOf(servers), health: QUICK_HEALTH, outlier: NO_EJECTION, upstreamTimeoutMs: 60_000, ...extra });
  await waitForHealth(balancer, 'up');
  servers[0]!.behavior = { hang: true };
  return { balancer, hung: servers[0]! };
}

describe('shutdown-sessions: a server marked down loses its requests in flight at once', () => {
  it('retries an idempotent request in flight on another server', async () => {
    const { balancer, hung } = await hungFirstServer();

    const answer = send(`${balancer.url}/home`, { timeoutMs: 30_000 });
    await waitFor(() => hung.inFlight === 1, { what: 'the GET to reach the hung server1' });
    hung.health = { hang: true };
    const response = await answer;

    expect(response.status).toBe(200);
    expect(response.headers['x-lblab-retries']).toBe('1');
    expect(response.headers['x-server-id']).not.toBe('server1');
    expect(balancer.stats().servers[0]).toMatchObject({ name: 'server1', health: 'down', inFlight: 0 });
    expect(balancer.logs.some((line) => line.includes('shutdown-sessions server1: 1 request in flight cut'))).toBe(true);
    expect((await send(`${balancer.adminUrl}/metrics`)).text).toContain('lblab_retries_total{reason="marked_down"} 1');
  });

  it('retries every GET cut from the server, more than the retry budget allows at once, as slots free', async () => {
    const { balancer, hung } = await hungFirstServer();

    // Round robin: 10 of the 30 go to the hung server1, the other 20 are answered at once.
    const answers = Array.from({ length: 30 }, () => send(`${balancer.url}/home`, { timeoutMs: 30_000 }));
    await waitFor(() => hung.inFlight === 10 && balancer.stats().totals.inFlight === 10, { what: '10 GETs held by server1, the rest answered' });
    // With 10 requests active, the budget allows max(3, 20% of 10) = 3 retries at once; the other 7 wait for a slot.
    hung.health = { hang: true };
    const statuses = (await Promise.all(answers)).map((r) => r.status);

    expect(statuses).toEqual(Array.from({ length: 30 }, () => 200));
    expect(balancer.stats().resilience).toMatchObject({ retries: 10, retryBudgetRefusals: 0, retriesActive: 0 });
  });

  it('answers a POST in flight 502 JSON at once, saying the server was marked down', async () => {
    const { balancer, hung } = await hungFirstServer();

    const answer = send(`${balancer.url}/orders`, { method: 'POST', body: '{"item":1}', timeoutMs: 30_000 });
    await waitFor(() => hung.inFlight === 1, { what: 'the POST to reach the hung server1' });
    hung.health = { hang: true };
    const response = await answer;

    expect(response.status).toBe(502);
    expect(response.json).toEqual({
      status: 'failure',
      message: expect.stringMatching(/^upstream server1 was marked down while the request was in flight \(server1 marked down: 2 failed checks: timeout after 100 ms\)$/),
      server: 'server1',
    });
  });

  it('leaves the requests in flight alone when shutdownSessions is false', async () => {
    const { balancer, hung } = await hungFirstServer({ shutdownSessions: false });
    const request = http.get(`${balancer.url}/home`, { agent: false });
    request.on('error', () => {});
    onCleanup(async () => {
      request.destroy();
    });
    await waitFor(() => hung.inFlight === 1, { what: 'the GET to reach the hung server1' });

    hung.health = { hang: true };
    await waitForHealth(balancer, 'down', ['server1']);

    // Sessions are cut in the same turn as the health change, so this would be 0 with them on.
    expect(balancer.stats().servers[0]).toMatchObject({ health: 'down', inFlight: 1 });
  });
});

describe('connect timeout apart from the response timeout', () => {
  it('sends a POST whose connection attempt timed out to another server', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({
      servers: [
        { name: 'dead', url: await blackholeUrl() },
        { name: 'server1', url: server!.url },
      ],
      health: { enabled: false },
      outlier: NO_EJECTION,
      connectTimeoutMs: 200,
      upstreamTimeoutMs: 60_000,
    });

    // Round robin sends the first request to `dead`, whose address never completes a connection.
    const response = await send(`${balancer.url}/orders`, { method: 'POST', body: '{"item":1}', timeoutMs: 30_000 });

    expect(response.status).toBe(200);
    expect(response.headers['x-server-id']).toBe('server1');
    expect(response.headers['x-lblab-retries']).toBe('1');
    expect(server!.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /orders']);
    expect((await send(`${balancer.adminUrl}/metrics`)).text).toContain('lblab_retries_total{reason="connect_error"} 1');
  });

  it('sends a POST refused by a stopped server to another one even with retries off', async () => {
    const [server] = await upstreams(1);
    const gone = await upstreams(1);
    const goneUrl = gone[0]!.url;
    await gone[0]!.close();
    const balancer = await testBalancer({
      servers: [
        { name: 'gone', url: goneUrl },
        { name: 'server1', url: server!.url },
      ],
      health: { enabled: false },
      outlier: NO_EJECTION,
      retries: { count: 0 },
    });

    const response = await send(`${balancer.url}/orders`, { method: 'POST', body: '{"item":1}' });

    expect(response.status).toBe(200);
    expect(response.headers['x-lblab-retries']).toBe('1');
    expect(balancer.stats().totals).toMatchObject({ requests: 1, errors: 0 });
  });
});
