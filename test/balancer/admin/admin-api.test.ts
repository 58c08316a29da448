import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { ALGORITHM_NAMES } from '../../../balancer/algorithms/algorithm.js';
import { send, sendJson } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

describe('admin API: seed-compatible replica routes', () => {
  it('GET /rep lists the replicas', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ servers: serversOf(servers) });

    const response = await send(`${balancer.adminUrl}/rep`);

    expect(response.status).toBe(200);
    expect(response.text).toBe('{"message":{"N":3,"replicas":["server1","server2","server3"]},"status":"successful"}');
  });

  it('POST /add with hostnames uses serverUrlTemplate, and generates server<k> names for the rest of n', async () => {
    const [upstream] = await upstreams(1);
    const balancer = await testBalancer({ serverUrlTemplate: `${upstream!.url}/{name}` });

    const response = await sendJson(`${balancer.adminUrl}/add`, 'POST', { n: 3, hostnames: ['s4'] });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ message: { N: 3, replicas: ['s4', 'server1', 'server2'] }, status: 'successful' });
    expect(balancer.stats().servers.map((s) => s.url)).toEqual([`${upstream!.url}/s4`, `${upstream!.url}/server1`, `${upstream!.url}/server2`]);
    await waitForHealth(balancer, 'up');
    const proxied = await send(`${balancer.url}/home`);
    expect(proxied.status).toBe(200);
    // Health checks of these servers arrive at /s4/health, /server1/health, ... and never count as requests.
    expect(upstream!.healthChecks).toBeGreaterThanOrEqual(3);
    expect(upstream!.requests.map((r) => r.url)).toEqual(['/s4/home']);
  });

  it('POST /add with servers and urls (as the CLI sends them) adds servers that take traffic', async () => {
    const [first, second] = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf([first!]) });
    await waitForHealth(balancer, 'up');

    const response = await sendJson(`${balancer.adminUrl}/add`, 'POST', {
      n: 1,
      hostnames: ['server2'],
      servers: [{ name: 'server2', url: second!.url, weight: 2 }],
    });

    expect(response.json).toEqual({ message: { N: 2, replicas: ['server1', 'server2'] }, status: 'successful' });
    await waitForHealth(balancer, 'up', ['server2']);
    expect(balancer.stats().servers[1]).toMatchObject({ name: 'server2', url: second!.url, weight: 2 });
    const ids = new Set<unknown>();
    for (let i = 0; i < 4; i++) ids.add((await send(`${balancer.url}/home`)).headers['x-server-id']);
    expect(ids).toEqual(new Set(['server1', 'server2']));
  });

  it('POST /add refuses more hostnames than n with the exact seed body', async () => {
    const balancer = await testBalancer({ serverUrlTemplate: 'http://127.0.0.1:1/{name}' });

    const response = await sendJson(`${balancer.adminUrl}/add`, 'POST', { n: 1, hostnames: ['s4', 's5'] });

    expect(response.status).toBe(400);
    expect(response.text).toBe('{"message":"Error, number of hostnames is greater than newly added instances","status":"failure"}');
    expect(balancer.stats().servers).toEqual([]);
  });

  it('POST /add refuses a name that exists, and hostnames without urls when there is no template', async () => {
    const servers = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf(servers) });

    const duplicate = await sendJson(`${balancer.adminUrl}/add`, 'POST', { n: 1, servers: [{ name: 'server1', url: servers[0]!.url }] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json).toEqual({ status: 'failure', message: 'server "server1" already exists; servers: server1' });

    const noUrl = await sendJson(`${balancer.adminUrl}/add`, 'POST', { n: 1, hostnames: ['s4'] });
    expect(noUrl.status).toBe(400);
    expect(noUrl.json).toEqual({
      status: 'failure',
      message:
        'hostnames ["s4"] have no url: servers need urls and this balancer has no serverUrlTemplate; ' +
        'pass "servers":[{"name":"s4","url":"http://host:port"}]',
    });
  });

  it('DELETE /rm removes named servers, and random others up to n', async () => {
    const servers = await upstreams(4);
    const balancer = await testBalancer({ servers: serversOf(servers) });

    const named = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { n: 1, hostnames: ['server2'] });
    expect(named.json).toEqual({ message: { N: 3, replicas: ['server1', 'server3', 'server4'] }, status: 'successful' });

    const more = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { n: 2, hostnames: ['server4'] });
    expect(more.status).toBe(200);
    const left = (more.json as { message: { replicas: string[] } }).message.replicas;
    expect(left).toHaveLength(1);
    expect(['server1', 'server3']).toContain(left[0]);
  });

  it('DELETE /rm refuses more hostnames than n with the exact seed body, and unknown names', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers) });

    const tooMany = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { n: 1, hostnames: ['server1', 'server2'] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toBe('{"message":"Error, number of hostnames is greater than removable instances","status":"failure"}');

    const unknown = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { n: 1, hostnames: ['server9'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ status: 'failure', message: 'unknown server "server9" in hostnames; servers: server1, server2' });
    expect(balancer.stats().servers).toHaveLength(2);
  });

  it('lets in-flight requests of a removed server finish', async () => {
    const [server] = await upstreams(1, { behavior: { delayMs: 150 } });
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const pending = send(`${balancer.url}/home`);
    await waitFor(() => server!.inFlight === 1, { what: 'the request to reach the server' });
    const removed = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { n: 1, hostnames: ['server1'] });
    expect(removed.json).toEqual({ message: { N: 0, replicas: [] }, status: 'successful' });

    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers['x-server-id']).toBe('server1');
    expect((await send(`${balancer.url}/home`)).status).toBe(503);
  });
});

describe('admin API: stats, algorithm, faults, metrics', () => {
  it('GET /stats returns BalancerStats', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers) });
    await waitForHealth(balancer, 'up');
    await send(`${balancer.url}/home`);

    const response = await send(`${balancer.adminUrl}/stats`);

    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      algorithm: 'round-robin',
      uptimeMs: expect.any(Number),
      totals: { requests: 1, errors: 0, inFlight: 0 },
      servers: [
        {
          name: 'server1',
          url: servers[0]!.url,
          weight: 1,
          health: 'up',
          requests: 1,
          successes: 1,
          errors: 0,
          inFlight: 0,
          avgLatencyMs: expect.any(Number),
          p99LatencyMs: expect.any(Number),
          healthChangedAt: expect.any(Number),
          ejections: 0,
        },
        expect.objectContaining({ name: 'server2', requests: 0, avgLatencyMs: 0, p99LatencyMs: 0 }),
      ],
      resilience: {
        retries: 0,
        retryBudgetRefusals: 0,
        retriesActive: 0,
        fanoutSuccesses: 0,
        fanoutFailures: 0,
        fanoutRounds: 0,
        ejections: 0,
      },
    });
  });

  it('GET and PUT /algorithm switch the algorithm at run time', async () => {
    const balancer = await testBalancer();
    expect((await send(`${balancer.adminUrl}/algorithm`)).json).toEqual({ algorithm: 'round-robin' });

    const put = await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', { algorithm: 'least-connections' });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ algorithm: 'least-connections' });
    expect((await send(`${balancer.adminUrl}/algorithm`)).json).toEqual({ algorithm: 'least-connections' });
    expect(balancer.stats().algorithm).toBe('least-connections');

    const withOptions = await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', { algorithm: 'consistent-hash', options: { virtualNodes: 50 } });
    expect(withOptions.json).toEqual({ algorithm: 'consistent-hash' });
  });

  it('PUT /algorithm refuses an unknown name with the list of algorithms, and bad options', async () => {
    const balancer = await testBalancer();

    const bad = await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', { algorithm: 'fastest' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ status: 'failure', message: `algorithm must be one of ${ALGORITHM_NAMES.join(', ')}, got "fastest"` });

    const badOption = await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', { algorithm: 'first-available', options: { capacity: 0 } });
    expect(badOption.status).toBe(400);
    expect(badOption.json).toEqual({ status: 'failure', message: 'options.capacity must be an integer from 1 to 10000, got 0' });
    expect(balancer.stats().algorithm).toBe('round-robin');
  });

  it('POST and DELETE /fault/<name> forward the body to the server fault API and return its answer', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });

    const set = await sendJson(`${balancer.adminUrl}/fault/server1`, 'POST', { errorRate: 0.3, latencyMs: 200 });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({ ok: true, server: 'server1' });
    const cleared = await send(`${balancer.adminUrl}/fault/server1`, { method: 'DELETE' });
    expect(cleared.status).toBe(200);

    expect(server!.faults).toEqual([
      { method: 'POST', body: '{"errorRate":0.3,"latencyMs":200}' },
      { method: 'DELETE', body: '' },
    ]);
  });

  it('POST /fault/<name> answers 404 naming an unknown server and listing the servers', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers) });

    const response = await sendJson(`${balancer.adminUrl}/fault/server9`, 'POST', { hang: true });

    expect(response.status).toBe(404);
    expect(response.json).toEqual({
      status: 'failure',
      message: 'unknown server "server9"; servers: server1, server2',
      servers: ['server1', 'server2'],
    });
  });

  it('answers bad JSON and bad fields with 400 naming the problem', async () => {
    const balancer = await testBalancer();

    const badJson = await send(`${balancer.adminUrl}/add`, { method: 'POST', body: '{"n":1,', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.json).toEqual({ status: 'failure', message: expect.stringMatching(/^request body is not valid JSON: /) });

    const badN = await sendJson(`${balancer.adminUrl}/add`, 'POST', { n: 'two' });
    expect(badN.json).toEqual({ status: 'failure', message: 'n must be an integer from 1 to 256, got "two"' });

    const badName = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { hostnames: [''] });
    expect(badName.json).toEqual({
      status: 'failure',
      message: 'hostnames[0] must be a server name (letters, digits, ".", "_", "-"; at most 63 characters), got ""',
    });

    const badUrl = await sendJson(`${balancer.adminUrl}/add`, 'POST', { servers: [{ name: 's4', url: 'ftp://x' }] });
    expect(badUrl.json).toEqual({ status: 'failure', message: 'servers[0].url must be an http:// or https:// URL, got "ftp://x"' });
  });

  it('GET /metrics serves Prometheus text with the request counter', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');
    await send(`${balancer.url}/home?id=1`);
    await send(`${balancer.url}/factorial/5`);

    const response = await send(`${balancer.adminUrl}/metrics`);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('lblab_requests_total{server="server1",code_class="2xx",route="/home"} 1');
    expect(response.text).toContain('lblab_requests_total{server="server1",code_class="2xx",route="/factorial"} 1');
    expect(response.text).toContain('lblab_request_duration_seconds_count{server="server1"} 2');
    expect(response.text).toContain('lblab_server_up{server="server1"} 1');
    expect(response.text).toContain('lblab_in_flight_requests{server="server1"} 0');
    expect(response.text).toContain('lblab_health_changes_total{server="server1",to="up"} 1');
    expect(response.text).toContain('process_cpu_user_seconds_total');
  });

  it('GET /health answers up; unknown routes 404 and wrong methods 405, as JSON', async () => {
    const balancer = await testBalancer();

    expect((await send(`${balancer.adminUrl}/health`)).json).toEqual({ status: 'up' });

    const missing = await send(`${balancer.adminUrl}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ status: 'failure', message: expect.stringMatching(/^no admin route GET \/nope; routes: GET \/rep, /) });

    const wrong = await send(`${balancer.adminUrl}/rep`, { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
  });

  it('closes open event streams on close()', async () => {
    const balancer = await testBalancer();
    const ended = new Promise<void>((resolve) => {
      http.get(`${balancer.adminUrl}/events`, { agent: false }, (response) => {
        response.resume();
        response.on('end', resolve);
        response.on('close', resolve);
      });
    });
    await waitFor(async () => (await send(`${balancer.adminUrl}/health`)).status === 200, { what: 'admin up' });

    await balancer.close();
    await ended;
  });
});
