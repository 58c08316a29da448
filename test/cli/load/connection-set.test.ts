import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionSet } from '../../../cli/load/connection-set.js';

let server: http.Server | undefined;
let set: ConnectionSet | undefined;

afterEach(async () => {
  await set?.destroy();
  set = undefined;
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** One GET through `dispatcher` (the Client made by path has dispatch(), not undici's request API). */
function get(dispatcher: Dispatcher): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    dispatcher.dispatch(
      { path: '/', method: 'GET' },
      {
        onConnect: () => undefined,
        onHeaders: (statusCode) => {
          status = statusCode;
          return true;
        },
        onData: () => true,
        onComplete: () => resolve(status),
        onError: reject,
      },
    );
  });
}

async function origin(): Promise<string> {
  server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('ConnectionSet', () => {
  it('makes connections on demand up to its maximum, then hands out only those given back', async () => {
    set = new ConnectionSet(await origin(), {}, 2);
    const first = set.acquire();
    const second = set.acquire();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(set.acquire()).toBeUndefined();
    expect(set.size).toBe(2);
    set.release(first!);
    expect(set.acquire()).toBe(first);
    expect(set.size).toBe(2);
  });

  it('sends a request on the connection it hands out', async () => {
    set = new ConnectionSet(await origin(), {}, 1);
    const client = set.acquire()!;
    expect(await get(client)).toBe(200);
    expect(await get(client)).toBe(200);
  });

  it('after destroy, hands out a destroyed connection, on which a request fails at once', async () => {
    set = new ConnectionSet(await origin(), {}, 1);
    await set.destroy();
    expect(set.destroyed).toBe(true);
    const client = set.acquire()!;
    await expect(get(client)).rejects.toMatchObject({ code: 'UND_ERR_DESTROYED' });
  });
});
