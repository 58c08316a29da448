import { findFreePort } from '../net/ports.js';
import net from 'node:net';
import { LabError } from '../errors.js';

const ATTEMPTS = 50;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A data port on 127.0.0.1 whose next port (the admin port) is free too. Tries at most 50 ports the OS offers. */
export async function findFreePortPair(): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = await findFreePort();
    if (port < 65_535 && (await isFree(port + 1))) return port;
  }
  throw new LabError('LBLAB_PORT_IN_USE', `found no free pair of ports (data and admin) on 127.0.0.1 in ${ATTEMPTS} attempts; choose one with --port`);
}
