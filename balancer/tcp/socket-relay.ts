import type { Socket } from 'node:net';

export interface SocketRelayHooks {
  readonly bytesToServer: (bytes: number) => void;
  readonly bytesToClient: (bytes: number) => void;
  /** Once, when both sockets are closed. */
  readonly closed: () => void;
}

export interface SocketRelay {
  /** Closes both sides at once (the server was marked down, the balancer closes). */
  destroy(): void;
}

/**
 * Relays bytes both ways between two connected sockets, with backpressure
 * (pipe). Both must allow half-open: an end (FIN) from one side is passed on
 * as an end to the other, which may go on sending (half-close). When one side
 * closes with an error (reset, timeout), the other is destroyed at once; when
 * one closes cleanly, the other is ended and closed once its writes are out.
 */
export function relaySockets(client: Socket, upstream: Socket, hooks: SocketRelayHooks): SocketRelay {
  let open = 2;
  const onClose = (other: Socket) => (hadError: boolean) => {
    if (hadError) other.destroy();
    else other.destroySoon();
    if (--open === 0) hooks.closed();
  };
  client.on('data', (chunk: Buffer) => hooks.bytesToServer(chunk.length));
  upstream.on('data', (chunk: Buffer) => hooks.bytesToClient(chunk.length));
  // Errors are seen through 'close' (hadError); without listeners they would be thrown.
  client.on('error', () => undefined);
  upstream.on('error', () => undefined);
  client.on('close', onClose(upstream));
  upstream.on('close', onClose(client));
  client.pipe(upstream);
  upstream.pipe(client);
  return {
    destroy() {
      client.destroy();
      upstream.destroy();
    },
  };
}
