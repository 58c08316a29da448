import { describe, expect, it } from 'vitest';

import { DEFAULT_OUTLIER } from '../../../balancer/config/config.js';
import { maxEjected } from '../../../balancer/upstreams/outlier-detector.js';
import { openEventStream } from '../fixtures/event-stream-client.js';
import { send, sendJson } from '../fixtures/http-client.js';
import { sampleServers } from '../fixtures/sample-servers.js';
import { onCleanup, serverStats, serversOf, testBalancer, upstreams, useCleanup, waitForHealth, type TestBalancer } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

const NO_HEALTH_CHECKS = { enabled: false };

/** Sends GETs one by one until `done()` holds, at most `max` of them; returns the X-Server-Id of each answer. */
async function sendUntil(balancer: TestBalancer, done: () => boolean, max = 100): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max && !done(); i++) seen.push(String((await send(`${balancer.url}/`)).headers['x-server-id']));
  return seen;
}

describe('passive ejection', () => {
  it('ejects a server answering 500 with active checks off, and brings it back after its ejection time once healthy', async () => {
    const servers = await sampleServers(3);
    const balancer = await testBalancer({
      servers: serversOf(servers),
      health: NO_HEALTH_CHECKS,
      outlier: { consecutive5xx: 3, baseEjectionMs: 300, maxEjectionMs: 1_000 },
    });
    const events = await openEventStream(`${balancer.adminUrl}/events`);
    onCleanup(async () => events.close());
    expect((await sendJson(`${balancer.adminUrl}/fault/server2`, 'POST', { errorRate: 1 })).status).toBe(200);

    await sendUntil(balancer, () => serverStats(balancer, 'server2')?.health === 'ejected');

    const ejected = await waitFor(() => events.events.find((e) => e.type === 'ejected'), { what: 'the ejected event' });
    expect(ejected).toEqual({
      type: 'ejected',
      at: expect.any(Number),
      server: 'server2',
      health: 'ejected',
      detail: '3 consecutive failures, last: status 500; ejected for 300 ms (1st in a row)',
    });
    expect(serverStats(balancer, 'server2')).toMatchObject({ health: 'ejected', ejections: 1, ejectedUntil: ejected.at + 300 });
    expect(balancer.logs.some((line) => line.endsWith(`ejected server2 (${ejected.detail})`))).toBe(true);
    const whileEjected = await sendUntil(balancer, () => false, 6);
    expect(whileEjected.filter((name) => name === 'server2')).toEqual([]);

    expect((await send(`${balancer.adminUrl}/fault/server2`, { method: 'DELETE' })).status).toBe(200);
    await waitForHealth(balancer, 'up', ['server2']);
    const back = await waitFor(() => events.events.find((e) => e.type === 'health' && e.server === 'server2'), { what: 'the health event' });
    expect(back).toEqual({ type: 'health', at: expect.any(Number), server: 'server2', health: 'up', detail: 'ejected -> up (ejection of 300 ms over)' });
    expect(back!.at - ejected.at).toBeGreaterThanOrEqual(300);
    expect(serverStats(balancer, 'server2')?.ejectedUntil).toBeUndefined();

    const after = await sendUntil(balancer, () => false, 6);
    expect(after.filter((name) => name === 'server2')).toHaveLength(2);
    const metrics = (await send(`${balancer.adminUrl}/metrics`)).text;
    expect(metrics).toContain('lblab_ejections_total{server="server2"} 1');
    expect(metrics).toContain('lblab_health_changes_total{server="server2",to="ejected"} 1');
  });

  it('ejects a server that is still failing again, for longer each time in a row', async () => {
    const servers = await upstreams(3);
    servers[0]!.behavior = { status: 500 };
    const balancer = await testBalancer({
      servers: serversOf(servers),
      health: NO_HEALTH_CHECKS,
      outlier: { consecutive5xx: 2, baseEjectionMs: 100, maxEjectionMs: 250 },
    });
    const events = await openEventStream(`${balancer.adminUrl}/events`);
    onCleanup(async () => events.close());

    const ejections = (): string[] => events.events.filter((e) => e.type === 'ejected').map((e) => e.detail ?? '');
    for (let n = 1; n <= 3; n++) {
      await sendUntil(balancer, () => ejections().length >= n);
      await waitForHealth(balancer, 'up', ['server1']);
    }
    expect(ejections()).toEqual([
      '2 consecutive failures, last: status 500; ejected for 100 ms (1st in a row)',
      '2 consecutive failures, last: status 500; ejected for 200 ms (2nd in a row)',
      '2 consecutive failures, last: status 500; ejected for 250 ms (3rd in a row)',
    ]);
  });

  it('ejects at most maxEjectionPercent of the servers at once, and never the last one up', async () => {
    const servers = await upstreams(4, { behavior: { status: 500 } });
    const balancer = await testBalancer({
      servers: serversOf(servers),
      health: NO_HEALTH_CHECKS,
      retries: { count: 0 },
      outlier: { consecutive5xx: 2, baseEjectionMs: 60_000, maxEjectionMs: 60_000, maxEjectionPercent: 50 },
    });

    await sendUntil(balancer, () => balancer.logs.some((line) => line.includes('not ejecting')), 40);

    expect(balancer.stats().servers.filter((s) => s.health === 'ejected')).toHaveLength(2);
    expect(balancer.logs.find((line) => line.includes('not ejecting'))).toMatch(
      / not ejecting server\d after 2 consecutive failures \(last: status 500\): 2 of 4 servers ejected already, maxEjectionPercent 50 allows 2$/,
    );

    const [only] = await upstreams(1, { behavior: { status: 500 } });
    const single = await testBalancer({ servers: serversOf([only!]), health: NO_HEALTH_CHECKS, outlier: { consecutive5xx: 1 } });
    await send(`${single.url}/`);
    expect(serverStats(single, 'server1')?.health).toBe('up');
    expect(single.logs.at(-1)).toMatch(/ not ejecting server1 after 1 consecutive failure \(last: status 500\): it is the last server up$/);
  });

  it('failed active checks take an ejected server down; passing again it stays ejected until the ejection ends', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers), outlier: { consecutive5xx: 2, baseEjectionMs: 1_500 } });
    await waitForHealth(balancer, 'up');
    servers[0]!.behavior = { status: 500 };

    await sendUntil(balancer, () => serverStats(balancer, 'server1')?.health === 'ejected');
    servers[0]!.health = { status: 500 };
    await waitForHealth(balancer, 'down', ['server1']);
    expect(balancer.logs.some((line) => /health server1 ejected -> down \(2 failed checks: status 500\)$/.test(line))).toBe(true);

    servers[0]!.health = {};
    servers[0]!.behavior = {};
    await waitFor(() => balancer.logs.some((line) => /health server1 down -> ejected \(.*; still ejected\)$/.test(line)), {
      what: 'checks to pass while the ejection runs',
    });
    await waitForHealth(balancer, 'up', ['server1']);
    expect(balancer.logs.at(-1)).toMatch(/health server1 ejected -> up \(ejection of 1500 ms over\)$/);
  });

  it('GET and PUT /outlier read and change the settings; switching it off ends the ejections', async () => {
    const servers = await upstreams(2);
    servers[0]!.behavior = { status: 500 };
    const balancer = await testBalancer({ servers: serversOf(servers), health: NO_HEALTH_CHECKS, outlier: { consecutive5xx: 1, baseEjectionMs: 60_000, maxEjectionMs: 60_000 } });
    expect((await send(`${balancer.adminUrl}/outlier`)).json).toEqual({ ...DEFAULT_OUTLIER, consecutive5xx: 1, baseEjectionMs: 60_000, maxEjectionMs: 60_000 });

    await sendUntil(balancer, () => serverStats(balancer, 'server1')?.health === 'ejected');
    const put = await sendJson(`${balancer.adminUrl}/outlier`, 'PUT', { enabled: false });
    expect(put.json).toMatchObject({ enabled: false });
    expect(serverStats(balancer, 'server1')?.health).toBe('up');
    expect(balancer.logs.at(-1)).toMatch(/health server1 ejected -> up \(passive ejection switched off\)$/);

    const bad = await sendJson(`${balancer.adminUrl}/outlier`, 'PUT', { maxEjectionMs: 10 });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ status: 'failure', message: 'outlier.maxEjectionMs must be at least outlier.baseEjectionMs (60000), got 10' });
  });
});

describe('maxEjected', () => {
  it.each([
    [1, 50, 1],
    [2, 50, 1],
    [3, 50, 1],
    [4, 50, 2],
    [10, 10, 1],
    [10, 35, 3],
    [3, 100, 3],
    [5, 0, 0],
  ])('%i servers at %i%% → %i', (servers, percent, expected) => {
    expect(maxEjected(servers, percent)).toBe(expected);
  });
});
