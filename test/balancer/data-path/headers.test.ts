import { describe, expect, it } from 'vitest';

import { send } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';

useCleanup();

describe('headers through the proxy', () => {
  it('drops hop-by-hop request headers and those named in Connection, keeps end-to-end ones, adds X-Forwarded-*', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const response = await send(`${balancer.url}/home?x=1`, {
      headers: {
        connection: 'keep-alive, x-secret-hop',
        'keep-alive': 'timeout=5',
        'x-secret-hop': 'must not pass',
        'proxy-authorization': 'Basic abc',
        te: 'trailers',
        upgrade: 'websocket',
        'x-custom': 'passes',
        'x-forwarded-for': '203.0.113.7',
        host: 'example.test',
      },
    });

    expect(response.status).toBe(200);
    const seen = server!.requests.at(-1)!;
    expect(seen.url).toBe('/home?x=1');
    expect(seen.headers['x-custom']).toBe('passes');
    for (const name of ['keep-alive', 'x-secret-hop', 'proxy-authorization', 'te', 'upgrade']) {
      expect(seen.headers[name], name).toBeUndefined();
    }
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-host']).toBe('example.test');
    expect(seen.headers.host).toBe('example.test');
  });

  it('sets X-Forwarded-For to the client address when there is none', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    await send(`${balancer.url}/home`);

    expect(server!.requests.at(-1)!.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('passes the upstream status, reason and headers through and drops hop-by-hop response headers', async () => {
    const [server] = await upstreams(1, {
      behavior: {
        status: 418,
        body: 'short and stout',
        headers: { 'x-teapot': 'yes', 'keep-alive': 'timeout=99', 'x-hop-out': 'no', connection: 'x-hop-out' },
      },
    });
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const response = await send(`${balancer.url}/brew`);

    expect(response.status).toBe(418);
    expect(response.text).toBe('short and stout');
    expect(response.headers['x-teapot']).toBe('yes');
    expect(response.headers['x-server-id']).toBe('server1');
    expect(response.headers['x-hop-out']).toBeUndefined();
    expect(response.headers['keep-alive']).not.toBe('timeout=99');
  });

  it("keeps the upstream's X-Server-Id and sets it to the server name when the upstream sends none", async () => {
    const [own] = await upstreams(1, { behavior: { headers: { 'x-server-id': 'container-abc' } } });
    const balancer = await testBalancer({ servers: [{ name: 'named', url: own!.url }] });
    await waitForHealth(balancer, 'up');
    expect((await send(`${balancer.url}/home`)).headers['x-server-id']).toBe('container-abc');

    const [silent] = await upstreams(1, { sendServerId: false });
    const other = await testBalancer({ servers: [{ name: 'quiet', url: silent!.url }] });
    await waitForHealth(other, 'up');
    expect((await send(`${other.url}/home`)).headers['x-server-id']).toBe('quiet');
  });
});
