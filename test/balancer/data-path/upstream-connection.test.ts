// The upstream side of the proxy: kept-alive connections, answers that end
// early on either side, backpressure, and the HTTP details the balancer's
// HTTP client must handle (1xx answers, Expect: 100-continue).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';

import { describe, expect, it } from 'vitest';

import { send } from '../fixtures/http-client.js';
import { patternBytes } from '../fixtures/pattern-bytes.js';
import { listenForTest, serverStats, serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

const NO_HEALTH_CHECKS = { enabled: false };
const CHUNK = 64 * 1024;

interface RawUpstream {
  readonly url: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
}

/** An upstream answering every request with `handler`; closed after the test. */
async function rawUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RawUpstream> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on('connection', () => connections++);
  const url = await listenForTest(server);
  return {
    url,
    get connections() {
      return connections;
    },
  };
}

/** What an upstream writing a large body with backpressure has done so far. */
interface BodyWriter {
  written: number;
  waitingForDrain: boolean;
  finished: boolean;
  /** The connection closed before the whole body was written. */
  cut: boolean;
}

function writeLargeBody(res: ServerResponse, bytes: number, writer: BodyWriter): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes });
  res.on('close', () => {
    if (!res.writableFinished) writer.cut = true;
  });
  const pump = (): void => {
    writer.waitingForDrain = false;
    while (writer.written < bytes && !res.destroyed) {
      const size = Math.min(CHUNK, bytes - writer.written);
      const ok = res.write(patternBytes(writer.written, size));
      writer.written += size;
      if (!ok) {
        writer.waitingForDrain = true;
        res.once('drain', pump);
        return;
      }
    }
    res.end(() => (writer.finished = true));
  };
  pump();
}

describe('the connections to the servers', () => {
  it('sends sequential requests over one kept-alive connection', async () => {
    const upstream = await rawUpstream((_req, res) => res.end('ok'));
    const balancer = await testBalancer({ servers: [{ name: 'one', url: upstream.url }], health: NO_HEALTH_CHECKS });

    for (let i = 0; i < 5; i++) expect((await send(`${balancer.url}/home`)).text).toBe('ok');

    expect(upstream.connections).toBe(1);
  });

  it('passes the final answer on after a 103 Early Hints', async () => {
    const upstream = await rawUpstream((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(201, { 'x-final': 'yes' });
      res.end('final');
    });
    const balancer = await testBalancer({ servers: [{ name: 'one', url: upstream.url }], health: NO_HEALTH_CHECKS });

    const response = await send(`${balancer.url}/home`);

    expect({ status: response.status, text: response.text, final: response.headers['x-final'] }).toEqual({ status: 201, text: 'final', final: 'yes' });
  });

  it('forwards a body sent with Expect: 100-continue (answered by the balancer), without the Expect header', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const response = await send(`${balancer.url}/upload`, { method: 'POST', headers: { expect: '100-continue' }, body: patternBytes(0, 1000) });

    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ bytes: 1000 });
    expect(server!.requests.at(-1)!.headers.expect).toBeUndefined();
  });

  it('answers HEAD with the status and headers only', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const response = await send(`${balancer.url}/download?bytes=5000`, { method: 'HEAD' });

    expect({ status: response.status, length: response.headers['content-length'], body: response.body.length }).toEqual({
      status: 200,
      length: '5000',
      body: 0,
    });
  });
});

describe('answers cut short', () => {
  it("cuts the client's response when the server goes away mid-body, and frees the slot", async () => {
    const upstream = await rawUpstream((_req, res) => {
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(patternBytes(0, 1000), () => res.destroy());
    });
    const balancer = await testBalancer({ servers: [{ name: 'one', url: upstream.url }], health: NO_HEALTH_CHECKS });

    const seen = await new Promise<{ status: number; complete: boolean }>((resolve, reject) => {
      http
        .get(`${balancer.url}/home`, { agent: false }, (response) => {
          response.resume();
          response.on('error', () => {});
          response.on('close', () => resolve({ status: response.statusCode ?? 0, complete: response.complete }));
        })
        .on('error', reject);
    });

    expect(seen).toEqual({ status: 200, complete: false });
    await waitFor(() => serverStats(balancer, 'one')?.inFlight === 0 && balancer.stats().totals.inFlight === 0, { what: 'the slot to be released' });
  });

  it('closes the upstream response when the client goes away mid-body, and frees the slot', async () => {
    const writer: BodyWriter = { written: 0, waitingForDrain: false, finished: false, cut: false };
    const upstream = await rawUpstream((_req, res) => writeLargeBody(res, 256 * 1024 * 1024, writer));
    const balancer = await testBalancer({ servers: [{ name: 'one', url: upstream.url }], health: NO_HEALTH_CHECKS });

    const request = http.get(`${balancer.url}/home`, { agent: false }, (response) => {
      response.once('data', () => request.destroy());
    });
    request.on('error', () => {});

    await waitFor(() => writer.cut, { what: 'the upstream response to be closed' });
    expect(writer.finished).toBe(false);
    await waitFor(() => serverStats(balancer, 'one')?.inFlight === 0 && balancer.stats().totals.inFlight === 0, { what: 'the slot to be released' });
  });
});

describe('backpressure', () => {
  it('stops reading from the server while the client does not read, and delivers everything once it does', async () => {
    const total = 64 * 1024 * 1024;
    const writer: BodyWriter = { written: 0, waitingForDrain: false, finished: false, cut: false };
    const upstream = await rawUpstream((_req, res) => writeLargeBody(res, total, writer));
    const balancer = await testBalancer({ servers: [{ name: 'one', url: upstream.url }], health: NO_HEALTH_CHECKS });

    let received = 0;
    let response: IncomingMessage | undefined;
    const ended = new Promise<void>((resolve, reject) => {
      http
        .get(`${balancer.url}/home`, { agent: false }, (answer) => {
          response = answer;
          answer.pause();
          answer.on('data', (chunk: Buffer) => (received += chunk.length));
          answer.on('end', resolve);
          answer.on('error', reject);
        })
        .on('error', reject);
    });

    // The server is held up: waiting for 'drain', with nothing more written over several polls.
    let last = -1;
    let stillFor = 0;
    await waitFor(
      () => {
        stillFor = writer.waitingForDrain && writer.written === last ? stillFor + 1 : 0;
        last = writer.written;
        return stillFor >= 10 || writer.finished;
      },
      { what: 'the server to be held up by backpressure', intervalMs: 20, timeoutMs: 10_000 },
    );
    expect(writer.finished).toBe(false);
    expect(writer.written).toBeLessThan(total);

    response!.resume();
    await ended;
    expect(received).toBe(total);
    await waitFor(() => serverStats(balancer, 'one')?.inFlight === 0, { what: 'the slot to be released' });
  });
});
