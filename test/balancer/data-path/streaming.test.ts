import { createHash } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { patternBytes, patternSha256 } from '../fixtures/pattern-bytes.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';

useCleanup();

const TEN_MB = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** A request body of `bytes` pattern bytes, produced chunk by chunk (never held whole). */
function patternStream(bytes: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes) {
        this.push(null);
        return;
      }
      const size = Math.min(CHUNK, bytes - offset);
      this.push(patternBytes(offset, size));
      offset += size;
    },
  });
}

describe('streaming through the proxy', () => {
  it('streams a 10 MB chunked request body to the server intact', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${balancer.url}/upload`, { method: 'POST', agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
      patternStream(TEN_MB).pipe(request);
    });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: TEN_MB, sha256: patternSha256(TEN_MB) });
  });

  it('streams a 10 MB response body to the client intact, with its content-length', async () => {
    const [server] = await upstreams(1);
    const balancer = await testBalancer({ servers: serversOf([server!]) });
    await waitForHealth(balancer, 'up');

    const received = await new Promise<{ bytes: number; sha256: string; length: string | undefined }>((resolve, reject) => {
      http
        .get(`${balancer.url}/download?bytes=${TEN_MB}`, { agent: false }, (response) => {
          const hash = createHash('sha256');
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            hash.update(chunk);
          });
          response.on('end', () => resolve({ bytes, sha256: hash.digest('hex'), length: response.headers['content-length'] }));
          response.on('error', reject);
        })
        .on('error', reject);
    });

    expect(received).toEqual({ bytes: TEN_MB, sha256: patternSha256(TEN_MB), length: String(TEN_MB) });
  });
});
