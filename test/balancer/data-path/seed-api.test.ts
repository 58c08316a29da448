import { describe, expect, it } from 'vitest';
import { isSeedRoute } from '../../../balancer/data-path/seed-routes.js';
import { send, sendJson } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';

useCleanup();

describe('seedApi: seed 001 replica routes on the data port', () => {
  it('answers GET /rep, POST /add and DELETE /rm on the data port with the seed shapes', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ servers: serversOf(servers), seedApi: true, serverUrlTemplate: `${servers[0]!.url}/{name}` });

    const rep = await send(`${balancer.url}/rep`);
    expect(rep.status).toBe(200);
    expect(rep.text).toBe('{"message":{"N":3,"replicas":["server1","server2","server3"]},"status":"successful"}');

    const added = await sendJson(`${balancer.url}/add`, 'POST', { n: 1, hostnames: ['s4'] });
    expect(added.json).toEqual({ message: { N: 4, replicas: ['server1', 'server2', 'server3', 's4'] }, status: 'successful' });

    const removed = await sendJson(`${balancer.url}/rm`, 'DELETE', { n: 1, hostnames: ['s4'] });
    expect(removed.json).toEqual({ message: { N: 3, replicas: ['server1', 'server2', 'server3'] }, status: 'successful' });

    const refused = await sendJson(`${balancer.url}/rm`, 'DELETE', { n: 1, hostnames: ['server1', 'server2'] });
    expect(refused.status).toBe(400);
    expect((refused.json as { status: string }).status).toBe('failure');
    // Nothing reached a server: the balancer answered itself.
    expect(servers.flatMap((s) => s.requests.map((r) => r.url)).filter((u) => !u.endsWith('/health'))).toEqual([]);
  });

  it('answers them without the lab token, while the admin port still wants it', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers), seedApi: true, adminToken: 'secret-token-1234567890' });
    expect((await send(`${balancer.url}/rep`)).text).toBe('{"message":{"N":2,"replicas":["server1","server2"]},"status":"successful"}');
    expect((await send(`${balancer.adminUrl}/rep`)).status).toBe(401);
  });

  it('without it, /rep on the data port is proxied to a server like any path', async () => {
    const servers = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf(servers) });
    await waitForHealth(balancer, 'up');
    await send(`${balancer.url}/rep`);
    expect(servers[0]!.requests.map((r) => r.url)).toContain('/rep');
  });
});

describe('isSeedRoute', () => {
  it('matches the three seed routes only, whatever the query or a trailing slash', () => {
    expect(isSeedRoute('GET', '/rep?x=1')).toBe(true);
    expect(isSeedRoute('POST', '/add/')).toBe(true);
    expect(isSeedRoute('DELETE', '/rm')).toBe(true);
    expect(isSeedRoute('POST', '/rep')).toBe(false);
    expect(isSeedRoute('GET', '/home')).toBe(false);
    expect(isSeedRoute('GET', '/stats')).toBe(false);
  });
});
