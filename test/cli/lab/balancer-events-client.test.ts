import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BalancerEvent } from '../../../balancer/api-types.js';
import { BalancerEventsClient } from '../../../cli/lab/balancer-events-client.js';

interface Seen {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly accept: string | undefined;
  readonly res: http.ServerResponse;
}

/** A real HTTP server playing GET /events: each connection is recorded; the test writes frames to it. */
async function eventServer(port = 0, status = 200): Promise<{ url: string; seen: Seen[]; server: http.Server }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, accept: req.headers.accept, res });
    res.writeHead(status, { 'content-type': status === 200 ? 'text/event-stream' : 'application/json' });
    if (status === 200) res.write(': connected\n\n');
    else res.end('{"status":"failure"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: http.Server[] = [];
const clients: BalancerEventsClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const frame = (event: BalancerEvent): string => `data: ${JSON.stringify(event)}\n\n`;

describe('BalancerEventsClient', () => {
  it('sends the bearer token, delivers events, and reconnects with ?since dropping the replayed ones', async () => {
    const { url, seen } = await eventServer();
    const events: BalancerEvent[] = [];
    const client = await BalancerEventsClient.open({ adminUrl: url, token: 's3cret', onEvent: (e) => events.push(e), retryDelaysMs: [10] });
    clients.push(client);
    expect(seen[0]).toMatchObject({ url: '/events', authorization: 'Bearer s3cret', accept: 'text/event-stream' });

    const first = { at: 1_000, type: 'health', server: 'server1', health: 'down' } as BalancerEvent;
    const second = { at: 2_000, type: 'health', server: 'server2', health: 'down' } as BalancerEvent;
    seen[0]?.res.write(frame(first) + frame(second));
    await vi.waitFor(() => expect(events).toHaveLength(2), { timeout: 10_000 });

    seen[0]?.res.end();
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 10_000 });
    expect(seen[1]?.url).toBe('/events?since=2000');
    // The balancer replays the events at 2000; only the new one gets through.
    const third = { at: 2_000, type: 'health', server: 'server3', health: 'down' } as BalancerEvent;
    seen[1]?.res.write(frame(second) + frame(third) + 'data: not json\n\n' + frame({ at: 3_000, type: 'removed', server: 'server3' } as BalancerEvent));
    await vi.waitFor(() => expect(events).toHaveLength(4), { timeout: 10_000 });
    expect(events.map((e) => `${e.at} ${e.server ?? ''}`)).toEqual(['1000 server1', '2000 server2', '2000 server3', '3000 server3']);
  });

  it('starts from sinceMs and reports its state', async () => {
    const { url, seen } = await eventServer();
    const states: string[] = [];
    const client = new BalancerEventsClient({ adminUrl: () => url, sinceMs: 1234.7, onEvent: () => {}, onStatus: (s) => states.push(s) }).start();
    clients.push(client);
    await vi.waitFor(() => expect(states).toEqual(['open']), { timeout: 10_000 });
    expect(seen[0]?.url).toBe('/events?since=1234');
    expect(seen[0]?.authorization).toBeUndefined();
  });

  it('open() refuses a 401 with the cause, and stops', async () => {
    const { url, seen } = await eventServer(0, 401);
    await expect(BalancerEventsClient.open({ adminUrl: url, onEvent: () => {} })).rejects.toMatchObject({
      code: 'LBLAB_ADMIN',
      message: `the balancer's event stream at ${url}/events did not open: GET /events answered 401 (the admin token was refused)`,
    });
    expect(seen).toHaveLength(1);
  });

  it('gives up after maxReconnects and says so', async () => {
    const { url, seen } = await eventServer();
    const warnings: string[] = [];
    const client = await BalancerEventsClient.open({ adminUrl: url, onEvent: () => {}, onGiveUp: (t) => warnings.push(t), maxReconnects: 1, retryDelaysMs: [1] });
    clients.push(client);
    seen[0]?.res.end();
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 10_000 });
    seen[1]?.res.end();
    await vi.waitFor(() => expect(warnings).toEqual([
      "lost the balancer's event stream after 1 reconnections; later health changes are not recorded",
    ]));
    expect(seen).toHaveLength(2);
  });

  it('close() ends the connection at once', async () => {
    const { url, seen } = await eventServer();
    const client = await BalancerEventsClient.open({ adminUrl: url, onEvent: () => {} });
    const closed = new Promise((resolve) => seen[0]?.res.once('close', resolve));
    await client.close();
    await closed;
  });

  // Node's fetch refuses the ports of the Fetch standard's blocked list; the client must not (issue 12).
  it('works on 5060, a port on the Fetch blocked list', async (context) => {
    const bound = await eventServer(5060).catch(() => undefined);
    if (bound === undefined) {
      context.skip('127.0.0.1:5060 is in use on this machine');
      return;
    }
    const events: BalancerEvent[] = [];
    const client = await BalancerEventsClient.open({ adminUrl: bound.url, onEvent: (e) => events.push(e) });
    clients.push(client);
    bound.seen[0]?.res.write(frame({ at: 1, type: 'health', server: 'server1', health: 'up' } as BalancerEvent));
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000 });
  });
});
