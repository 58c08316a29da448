import type { AddressInfo, Server } from 'node:net';

/** Listens on host:port (0 picks a free port) and resolves with the bound port; rejects on EADDRINUSE and the like. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** `http://127.0.0.1:8080`, `http://[::1]:8080`. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
