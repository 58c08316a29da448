import type { ServerResponse } from 'node:http';

import type { BalancerEvent } from '../api-types.js';
import type { EventLog } from './event-log.js';

export const DEFAULT_EVENT_PING_MS = 15_000;

export interface EventStreamOptions {
  /** Send the kept events with `at >= sinceMs` first. */
  readonly sinceMs?: number;
  readonly pingMs?: number;
}

/**
 * Serves GET /events: server-sent events, one `data: <BalancerEvent JSON>`
 * per event, a `: ping` comment every `pingMs`. Everything is released when
 * the client goes away; close the returned stream on shutdown.
 */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly events: EventLog) {}

  get size(): number {
    return this.open.size;
  }

  serve(res: ServerResponse, options: EventStreamOptions = {}): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    if (options.sinceMs !== undefined) {
      for (const event of this.events.since(options.sinceMs)) res.write(frame(event));
    }
    const unsubscribe = this.events.subscribe((event) => res.write(frame(event)));
    const ping = setInterval(() => res.write(': ping\n\n'), options.pingMs ?? DEFAULT_EVENT_PING_MS);
    ping.unref();
    this.open.add(res);
    res.on('close', () => {
      unsubscribe();
      clearInterval(ping);
      this.open.delete(res);
    });
  }

  /** Ends every open stream and its connection (on shutdown), so no client holds the balancer for the grace period. */
  closeAll(): void {
    for (const res of this.open) res.end(() => res.socket?.destroy());
  }
}

function frame(event: BalancerEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}
