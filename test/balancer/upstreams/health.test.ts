import { describe, expect, it } from 'vitest';

import { openEventStream } from '../fixtures/event-stream-client.js';
import { send } from '../fixtures/http-client.js';
import { onCleanup, serverStats, serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

describe('active health checks', () => {
  it('starts servers down and brings each up on its first passed check', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ servers: serversOf(servers) });
    expect(balancer.stats().servers.map((s) => s.health)).toEqual(['down', 'down']);

    await waitForHealth(balancer, 'up');

    expect(balancer.logs.filter((line) => line.includes(' health '))).toEqual([
      expect.stringMatching(new RegExp(`^${ISO} health server[12] down -> up \\(first check passed\\)$`)),
      expect.stringMatching(new RegExp(`^${ISO} health server[12] down -> up \\(first check passed\\)$`)),
    ]);
  });

  it('takes a failing server down after `fall` failed checks and back up after `rise` passed ones', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]), health: { fall: 3, rise: 2 } });
    await waitForHealth(balancer, 'up');
    const upSince = serverStats(balancer, 'server1')!.healthChangedAt;

    server!.health = { status: 500 };
    await waitForHealth(balancer, 'down');
    expect(balancer.logs.at(-1)).toMatch(new RegExp(`^${ISO} health server1 up -> down \\(3 failed checks: status 500\\)$`));
    expect(serverStats(balancer, 'server1')!.healthChangedAt).toBeGreaterThanOrEqual(upSince);
    expect((await send(`${balancer.url}/home`)).status).toBe(503);

    server!.health = {};
    await waitForHealth(balancer, 'up');
    expect(balancer.logs.at(-1)).toMatch(new RegExp(`^${ISO} health server1 down -> up \\(2 passed checks\\)$`));
    expect((await send(`${balancer.url}/home`)).status).toBe(200);
  });

  it('counts a check with no answer within timeoutMs as failed, so a hung server goes down', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]), health: { timeoutMs: 40 } });
    await waitForHealth(balancer, 'up');

    server!.health = { hang: true };
    await waitForHealth(balancer, 'down');

    expect(balancer.logs.at(-1)).toMatch(/health server1 up -> down \(2 failed checks: timeout after 40 ms\)$/);
  });

  it('takes a server whose port closed down with the connection error', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    await server!.close();
    await waitForHealth(balancer, 'down');

    expect(balancer.logs.at(-1)).toMatch(/health server1 up -> down \(2 failed checks: ECONNREFUSED\)$/);
  });

  it('keeps servers up without checks when health checks are disabled', async () => {
    const servers = await upstreams(2, { health: { status: 500 } });
    const balancer = await testBalancer({ servers: serversOf(servers), health: { enabled: false } });

    expect(balancer.stats().servers.map((s) => s.health)).toEqual(['up', 'up']);
    expect((await send(`${balancer.url}/home`)).status).toBe(200);
    expect(servers.map((s) => s.healthChecks)).toEqual([0, 0]);
  });

  it('streams health changes on GET /events and replays kept events with ?since=', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const stream = await openEventStream(`${balancer.adminUrl}/events?since=0`);
    onCleanup(async () => stream.close());
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await waitFor(() => stream.events.length >= 2, { what: 'the replayed events' });
    expect(stream.events.slice(0, 2)).toEqual([
      { type: 'added', at: expect.any(Number), server: 'server1', health: 'down', detail: server!.url },
      { type: 'health', at: expect.any(Number), server: 'server1', health: 'up', detail: 'down -> up (first check passed)' },
    ]);

    server!.health = { status: 503 };
    await waitFor(() => stream.events.find((e) => e.type === 'health' && e.health === 'down'), { what: 'the down event' });
    server!.health = {};
    const up = await waitFor(() => stream.events.filter((e) => e.type === 'health' && e.health === 'up')[1], { what: 'the second up event' });
    expect(up).toEqual({ type: 'health', at: expect.any(Number), server: 'server1', health: 'up', detail: 'down -> up (2 passed checks)' });
    expect(stream.events.find((e) => e.type === 'health' && e.health === 'down')?.detail).toBe('up -> down (2 failed checks: status 503)');
  });

  it('sends no old events without ?since= and sends pings as comments', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) }, { eventPingMs: 20 });
    await waitForHealth(balancer, 'up');

    const stream = await openEventStream(`${balancer.adminUrl}/events`);
    onCleanup(async () => stream.close());
    await waitFor(() => stream.comments.includes('ping'), { what: 'a ping comment' });

    expect(stream.comments[0]).toBe('connected');
    expect(stream.events).toEqual([]);
  });
});
