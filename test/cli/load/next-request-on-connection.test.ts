import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../../cli/load/index.js';

let server: http.Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A server that counts the connections it accepted; `close` answers with Connection: close. */
async function startServer(close: boolean): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = http.createServer((_req, res) => {
    if (close) res.setHeader('connection', 'close');
    res.setHeader('x-server-id', 'server1');
    res.end('ok');
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

// The next request of a connection is written as soon as the previous response is complete (see run-load.ts).
describe('the next request on a connection', () => {
  it('reuses each kept-alive connection for request after request', async () => {
    const { url, connections } = await startServer(false);
    const result = await runLoad({ url, path: '/', model: { kind: 'closed', requests: 200, concurrency: 4 }, connections: 4 }).result;
    expect(result.requests).toBe(200);
    expect(result.errors).toBe(0);
    expect(result.byServer.server1?.requests).toBe(200);
    expect(connections()).toBeLessThanOrEqual(4);
  });

  it('goes on a new connection, without a failure, after a response that closes its connection', async () => {
    const { url, connections } = await startServer(true);
    const result = await runLoad({ url, path: '/', model: { kind: 'closed', requests: 60, concurrency: 3 }, connections: 3 }).result;
    expect(result.requests).toBe(60);
    expect(result.errors).toBe(0);
    expect(result.byErrorCode).toEqual({});
    expect(connections()).toBe(60);
  });
});
