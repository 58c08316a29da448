import type { IncomingMessage } from 'node:http';

import type { Backend } from '../upstreams/backend.js';

export const FAULT_PATH = '/_lab/fault';
export const FAULT_TIMEOUT_MS = 5_000;

export interface ForwardedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Sends `body` to the server's fault API (`<url>/_lab/fault`) with `method`
 * (and the lab's token, when there is one) and resolves with its answer. Rejects with the connection error or a
 * timeout, so the caller can answer 502/504.
 */
export function forwardFault(
  backend: Backend,
  method: string,
  body: Buffer,
  token: string | undefined,
  timeoutMs = FAULT_TIMEOUT_MS,
): Promise<ForwardedAnswer> {
  return new Promise((resolve, reject) => {
    const request = backend.request({
      hostname: backend.hostname,
      port: backend.port,
      method,
      path: backend.basePath + FAULT_PATH,
      agent: false,
      headers: {
        connection: 'close',
        'content-type': 'application/json',
        'content-length': body.length,
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    });
    const timer = setTimeout(() => {
      const error = new Error(`${backend.name} did not answer ${method} ${FAULT_PATH} within ${timeoutMs} ms`) as NodeJS.ErrnoException;
      error.code = 'ETIMEDOUT';
      request.destroy(error);
    }, timeoutMs);
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 502,
          contentType: response.headers['content-type'] ?? 'application/json; charset=utf-8',
          body: Buffer.concat(chunks),
        });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
