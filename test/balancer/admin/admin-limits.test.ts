// Every admin number is bounded and every field known (limits.ts): the
// requests of issue 12 that once crashed or froze the balancer now get a 400
// naming the field, the value and the limit, and the balancer keeps serving.
import { describe, expect, it } from 'vitest';

import { LIMITS } from '../../../balancer/config/limits.js';
import { send, sendJson } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';

useCleanup();

/** Servers on ports nobody listens on (port 1 refuses at once). */
function deadServers(count: number, prefix = 'dead'): { name: string; url: string }[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, url: `http://127.0.0.1:1/${prefix}${i + 1}` }));
}

describe('admin API limits', () => {
  it.each([
    [{ algorithm: 'consistent-hash', options: { virtualNodes: 2_000_000_000 } }, 'options.virtualNodes must be an integer from 1 to 1000, got 2000000000'],
    [{ algorithm: 'consistent-hash', options: { virtualNodes: 1_000_000_000 } }, 'options.virtualNodes must be an integer from 1 to 1000, got 1000000000'],
    [{ algorithm: 'consistent-hash', options: { virtualNodes: 2_000_000 } }, 'options.virtualNodes must be an integer from 1 to 1000, got 2000000'],
    [{ algorithm: 'maglev', options: { tableSize: 100_000_007 } }, 'options.tableSize must be an integer from 257 to 65537, got 100000007'],
    [{ algorithm: 'maglev', options: { tableSize: 65_535 } }, 'options.tableSize must be a prime number from 257 to 65537 (e.g. 65537), got 65535'],
    [{ algorithm: 'round-robin', options: { bogus: 1 } }, 'options.bogus is not a known field (value 1); fields: virtualNodes, boundedLoad, capacity, tableSize'],
    [{ algorithm: 'round-robin', extra: true }, '"extra" is not a known field of the request body; fields: algorithm, options'],
    [{ algorithm: 'first-available', options: { capacity: 1e9 } }, 'options.capacity must be an integer from 1 to 10000, got 1000000000'],
  ])('PUT /algorithm %j → 400: %s', async (body, message) => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const response = await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', body);

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ status: 'failure', message });
    expect(balancer.stats().algorithm).toBe('round-robin');
    expect((await send(`${balancer.url}/home`)).status).toBe(200);
  });

  it('PUT /algorithm consistent-hash refuses a ring beyond LIMITS.ringPoints for the servers there are', async () => {
    const balancer = await testBalancer({ servers: deadServers(41), health: { enabled: false } });

    const response = await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', { algorithm: 'consistent-hash', options: { virtualNodes: 1000 } });

    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      status: 'failure',
      message:
        'options.virtualNodes: the consistent-hash ring would have 41 servers x 1000 virtualNodes = 41000 points, more than 40960 (at most 999 virtualNodes for 41 servers)',
    });
    expect((await sendJson(`${balancer.adminUrl}/algorithm`, 'PUT', { algorithm: 'consistent-hash', options: { virtualNodes: 999 } })).status).toBe(200);
    // And with the big ring in force, /add may not grow it beyond the limit.
    const add = await sendJson(`${balancer.adminUrl}/add`, 'POST', { servers: deadServers(1, 'extra') });
    expect(add.status).toBe(400);
    expect((add.json as { message: string }).message).toMatch(/^n: the consistent-hash ring would have 42 servers x 999 virtualNodes = 41958 points, more than 40960/);
  });

  it('refuses unknown fields and non-boolean booleans on every settings route', async () => {
    const balancer = await testBalancer();
    const cases: [string, string, unknown, string][] = [
      ['/add', 'POST', { n: 1, hostname: ['s4'] }, '"hostname" is not a known field of the request body; fields: n, hostnames, servers'],
      ['/rm', 'DELETE', { n: 1, names: ['s4'] }, '"names" is not a known field of the request body; fields: n, hostnames'],
      ['/retries', 'PUT', { count: 1, bogus: 1 }, 'retries.bogus is not a known field (value 1); fields: count, baseMs, capMs, budgetPercent, minRetryConcurrency, maxBodyBytes, routes'],
      ['/fanout', 'PUT', { enabled: 'yes' }, 'fanout.enabled must be true or false, got "yes"'],
      ['/outlier', 'PUT', { enabled: 1 }, 'outlier.enabled must be true or false, got 1'],
      ['/retries', 'PUT', { count: 1e9 }, 'retries.count must be an integer from 0 to 10, got 1000000000'],
      ['/outlier', 'PUT', { baseEjectionMs: 1e12 }, 'outlier.baseEjectionMs must be an integer from 1 to 3600000, got 1000000000000'],
    ];
    for (const [path, method, body, message] of cases) {
      const response = await sendJson(`${balancer.adminUrl}${path}`, method, body);
      expect([path, response.status, response.json]).toEqual([path, 400, { status: 'failure', message }]);
    }
  });

  it(`POST /add refuses more than ${LIMITS.servers.max} servers in the lab, naming n and the room left`, async () => {
    const balancer = await testBalancer({ servers: deadServers(200), health: { enabled: false } });

    const tooMany = await sendJson(`${balancer.adminUrl}/add`, 'POST', { servers: deadServers(57, 'more') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toEqual({
      status: 'failure',
      message: 'n must be at most 56 (a lab has at most 256 servers and this one has 200), got 57',
    });
    const hugeN = await sendJson(`${balancer.adminUrl}/add`, 'POST', { n: 1000 });
    expect(hugeN.json).toEqual({ status: 'failure', message: 'n must be an integer from 1 to 256, got 1000' });
    expect(balancer.stats().servers).toHaveLength(200);
  });

  it('error bodies name a few servers and a count, never all of them', async () => {
    const balancer = await testBalancer({ servers: deadServers(256) });
    await waitForHealth(balancer, 'down', undefined, 10_000);

    const noServer = await send(`${balancer.url}/home`);
    expect(noServer.status).toBe(503);
    expect(noServer.json).toEqual({
      status: 'failure',
      message: 'no healthy server: dead1 down, dead2 down, dead3 down, dead4 down, dead5 down and 251 more (256 servers)',
      servers: [1, 2, 3, 4, 5].map((i) => ({ name: `dead${i}`, health: 'down' })),
      serverCount: 256,
    });
    expect(noServer.body.length).toBeLessThan(1_000);

    const unknown = await sendJson(`${balancer.adminUrl}/fault/nosuch`, 'POST', { errorRate: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      status: 'failure',
      message: 'unknown server "nosuch"; servers: dead1, dead2, dead3, dead4, dead5 and 251 more (256 servers)',
      servers: ['dead1', 'dead2', 'dead3', 'dead4', 'dead5'],
      serverCount: 256,
    });
    const clash = await sendJson(`${balancer.adminUrl}/rm`, 'DELETE', { hostnames: ['nosuch'] });
    expect((clash.json as { message: string }).message).toBe(
      'unknown server "nosuch" in hostnames; servers: dead1, dead2, dead3, dead4, dead5 and 251 more (256 servers)',
    );
  });
});
