import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../cli/lab/admin-client.js';

/** Ports on the Fetch standard's blocked list, which Node's fetch refuses ("bad port"). */
const FETCH_BLOCKED_PORTS = [5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080, 4190, 6679, 3659, 1719];

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A stand-in admin API: answers /stats (and 401 without the right token when `token` is set). */
async function adminServer(options: { token?: string; port?: number; hang?: boolean } = {}): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
    if (options.hang === true) return;
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"status":"failure","message":"unauthorized"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"algorithm":"round-robin","servers":[],"totals":{}}');
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function onFetchBlockedPort(): Promise<{ url: string; seen: Seen[] }> {
  for (const port of FETCH_BLOCKED_PORTS) {
    try {
      return await adminServer({ port });
    } catch {
      // taken on this machine: the next one
    }
  }
  throw new Error(`none of the Fetch-blocked ports ${FETCH_BLOCKED_PORTS.join(', ')} is free here`);
}

describe('AdminClient', () => {
  it('sends the lab token as Authorization: Bearer, and nothing without one', async () => {
    const admin = await adminServer();
    await new AdminClient(admin.url, 'tok-123').stats();
    await new AdminClient(admin.url).stats();
    expect(admin.seen).toEqual([
      { method: 'GET', url: '/stats', authorization: 'Bearer tok-123' },
      { method: 'GET', url: '/stats', authorization: undefined },
    ]);
  });

  it('talks to an admin API on a port that fetch refuses (5060, 5061, ...)', async () => {
    const admin = await onFetchBlockedPort();
    await expect(fetch(`${admin.url}/stats`)).rejects.toThrow();
    expect((await new AdminClient(admin.url).stats()).algorithm).toBe('round-robin');
  });

  it('says why a call got no answer: the refused connection, with its code', async () => {
    const admin = await adminServer();
    const url = admin.url;
    const server = servers.pop();
    await new Promise((resolve) => server?.close(resolve));
    await expect(new AdminClient(url).stats()).rejects.toMatchObject({
      code: 'LBLAB_ADMIN',
      message: expect.stringMatching(new RegExp(`^the balancer's admin API at ${url} did not answer GET /stats: .*ECONNREFUSED`)) as unknown,
    });
  });

  it('says how long it waited for an admin API that never answers', async () => {
    const admin = await adminServer({ hang: true });
    await expect(new AdminClient(admin.url).stats(200)).rejects.toMatchObject({
      message: `the balancer's admin API at ${admin.url} did not answer GET /stats: no answer within 200 ms`,
    });
  });

  it('a 401 says whether lblab had a token for the lab', async () => {
    const admin = await adminServer({ token: 'right' });
    await expect(new AdminClient(admin.url).stats()).rejects.toThrow(/401: the admin API wants the lab's token and lblab has none/);
    await expect(new AdminClient(admin.url, 'wrong').stats()).rejects.toThrow(/401: the balancer refused the lab's token/);
    expect((await new AdminClient(admin.url, 'right').stats()).algorithm).toBe('round-robin');
  });
});
