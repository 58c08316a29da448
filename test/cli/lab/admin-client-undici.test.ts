import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../../../cli/lab/admin-client.js';
import { findFreePort } from '../../../cli/runtime/ports.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real admin API in miniature: GET /stats answers a fixed body, anything else 400 JSON. */
async function adminApi(port = 0): Promise<string> {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/stats') res.end(JSON.stringify({ algorithm: 'maglev', servers: [], totals: { requests: 0, errors: 0, inFlight: 0 } }));
    else {
      res.statusCode = 400;
      res.end(JSON.stringify({ message: 'no such route', status: 'failure' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('AdminClient', () => {
  it('reads /stats and names the route and status of a failure', async () => {
    const client = new AdminClient(await adminApi());
    expect((await client.stats()).algorithm).toBe('maglev');
    await expect(client.setAlgorithm('random')).rejects.toMatchObject({ code: 'LBLAB_ADMIN', message: 'PUT /algorithm failed with 400: no such route' });
  });

  it('shows the cause when nothing answers', async () => {
    const port = await findFreePort();
    const client = new AdminClient(`http://127.0.0.1:${port}`);
    await expect(client.stats(1_000)).rejects.toMatchObject({
      code: 'LBLAB_ADMIN',
      message: `the balancer's admin API at http://127.0.0.1:${port} did not answer GET /stats: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  // Node's fetch refuses the ports of the Fetch standard's blocked list (issue 12: `lblab up --port 5059` waited 30 s).
  it('works on 5061, a port on the Fetch blocked list', async (context) => {
    const url = await adminApi(5061).catch(() => undefined);
    if (url === undefined) {
      context.skip('127.0.0.1:5061 is in use on this machine');
      return;
    }
    expect((await new AdminClient(url).stats()).algorithm).toBe('maglev');
  });
});
