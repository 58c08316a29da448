import net from 'node:net';
import { LabError } from '../errors.js';
import { waitUntil } from '../lab/wait-until.js';

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

/** Whether 127.0.0.1:port accepts a TCP connection within 500 ms. */
function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
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
}

/** Resolves once 127.0.0.1:port accepts a TCP connection; rejects when isGone says the process exited, or after timeoutMs. */
export async function waitForPort(port: number, options: { timeoutMs: number; isGone?: () => Promise<boolean> }): Promise<void> {
  const gone = new LabError('LBLAB_NOT_READY', `the process exited before listening on 127.0.0.1:${port}`);
  await waitUntil(
    async () => {
      if (await accepts(port)) return true;
      if (options.isGone !== undefined && (await options.isGone())) throw gone;
      return false;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 50, what: `a listener on 127.0.0.1:${port}`, isFatal: (error) => error === gone },
  );
}
