import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TruncatingEngine {
  readonly socketPath: string;
  /** Requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * A stand-in Docker engine on a Unix socket that answers every request with
 * a 200 whose body stops half-way, then closes the connection: what a loaded
 * or restarting engine (or a proxy in front of it) can do.
 */
export async function startTruncatingEngine(): Promise<TruncatingEngine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-fake-engine-'));
  const socketPath = path.join(dir, 'docker.sock');
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    socket.once('data', () => {
      requests += 1;
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Id":"ab');
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
