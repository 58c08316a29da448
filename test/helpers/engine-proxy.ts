import { rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A unix-socket proxy in front of the Docker engine, given to lblab as
 * DOCKER_HOST: the test can hold the request that contains a marker (so a
 * signal arrives at a known step), or close the proxy (an engine that stops
 * answering mid-run).
 */
export class EngineProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #held: (() => void)[] = [];
  #holdMarker: string | undefined;
  #onHeld: (() => void) | undefined;

  private constructor(
    readonly socketPath: string,
    target: string,
  ) {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(target);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.#sockets.delete(socket));
      }
      client.on('data', (chunk: Buffer) => {
        const marker = this.#holdMarker;
        if (marker !== undefined && chunk.includes(marker)) {
          this.#holdMarker = undefined;
          client.pause();
          this.#held.push(() => {
            upstream.write(chunk);
            client.resume();
          });
          this.#onHeld?.();
          return;
        }
        upstream.write(chunk);
      });
      upstream.pipe(client);
      client.on('end', () => upstream.end());
    });
  }

  static async start(target: string): Promise<EngineProxy> {
    const socketPath = path.join(os.tmpdir(), `lblab-engine-proxy-${randomBytes(4).toString('hex')}.sock`);
    const proxy = new EngineProxy(socketPath, target);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(socketPath, resolve);
    });
    return proxy;
  }

  get dockerHost(): string {
    return `unix://${this.socketPath}`;
  }

  /** Holds the first request whose bytes contain `marker`; resolves once one is held. */
  holdNext(marker: string): Promise<void> {
    this.#holdMarker = marker;
    return new Promise((resolve) => {
      this.#onHeld = resolve;
    });
  }

  /** Lets the held requests through. */
  release(): void {
    for (const send of this.#held.splice(0)) send();
  }

  /** Stops answering: every connection is cut and no new one is accepted. */
  async close(): Promise<void> {
    this.#held.length = 0;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
    await rm(this.socketPath, { force: true });
  }
}
