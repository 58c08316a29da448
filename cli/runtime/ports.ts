import net from 'node:net';
import { LabError } from '../errors.js';

/** A port the OS considers free on 127.0.0.1 right now. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe socket'));
      });
    });
  });
}

/** Whether 127.0.0.1:port can be listened on right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const PAIR_ATTEMPTS = 50;

/** A data port on 127.0.0.1 whose next port (the admin port) is free too. */
export async function findFreePortPair(): Promise<number> {
  for (let attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
    const port = await findFreePort();
    if (port < 65_535 && (await isPortFree(port + 1))) return port;
  }
  throw new LabError(
    'LBLAB_PORT_IN_USE',
    `found no free pair of ports (data and admin) on 127.0.0.1 in ${PAIR_ATTEMPTS} attempts; choose one with --port`,
  );
}

/** Throws LBLAB_PORT_IN_USE when something already listens on 127.0.0.1:port. */
export async function assertPortFree(port: number, flag = '--port'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        reject(
          new LabError('LBLAB_PORT_IN_USE', `port ${port} on 127.0.0.1 is already in use; choose another with ${flag}`, {
            cause: error,
          }),
        );
      } else reject(error);
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Resolves once 127.0.0.1:port accepts a TCP connection, or rejects after timeoutMs. */
export async function waitForPort(port: number, options: { timeoutMs: number; isGone?: () => Promise<boolean> }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.setTimeout(500);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    if (options.isGone !== undefined && (await options.isGone())) {
      throw new LabError('LBLAB_NOT_READY', `the process exited before listening on 127.0.0.1:${port}`);
    }
    if (Date.now() >= deadline) {
      throw new LabError('LBLAB_NOT_READY', `nothing listened on 127.0.0.1:${port} within ${options.timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
