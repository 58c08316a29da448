import http from 'node:http';
import net, { type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

import { onCleanup } from '../fixtures/test-balancer.js';

export interface KeepAliveClient {
  /** GET `path` on the one connection; resolves with X-Server-Id. */
  get(path?: string): Promise<string>;
  /** The connection, once the first request made it. */
  readonly socket: Socket | undefined;
}

/** A client that sends every request on one keep-alive connection (maxSockets 1). */
export function keepAliveClient(baseUrl: string): KeepAliveClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  onCleanup(async () => agent.destroy());
  let socket: Socket | undefined;
  return {
    get socket() {
      return socket;
    },
    get(path = '/home') {
      return new Promise((resolve, reject) => {
        const request = http.get(`${baseUrl}${path}`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(String(response.headers['x-server-id'])));
        });
        request.on('socket', (s: Socket) => {
          socket = s;
        });
        request.on('error', reject);
      });
    },
  };
}

/** X-Server-Id of one GET on a fresh connection. */
export function getOnNewConnection(baseUrl: string, path = '/home'): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl}${path}`, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(String(response.headers['x-server-id'])));
    });
    request.on('error', reject);
  });
}

export interface RawServer {
  readonly url: string;
  /** What each connection received before the client's end (FIN). */
  readonly received: string[];
}

/**
 * A raw TCP server that allows half-open connections: it reads until the
 * client ends its side, then answers `got <n> bytes: <text>` and ends.
 */
export async function halfCloseServer(): Promise<RawServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push(text);
      socket.end(`got ${Buffer.byteLength(text)} bytes: ${text}`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** Resolves once `socket` is closed. */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}
