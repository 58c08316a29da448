import type { BalancerStats, ServerStats } from '../../../balancer/api-types.js';
import type { AdminResponse, AdminTransport } from '../../../cli/lab/admin-transport.js';

/** One open GET /events response the test writes to. */
export interface FakeEventStream {
  readonly url: string;
  write(text: string | Uint8Array): void;
  end(): void;
  readonly closed: boolean;
}

/**
 * A balancer admin API as an admin transport. /stats counts requests from the
 * (fake) clock at `ratesPerSec`, so rates are exact; `down` refuses connections.
 */
export class FakeAdmin {
  down = false;
  /** HTTP status for /events (e.g. 404 before the admin API has it). */
  eventsStatus = 200;
  startedAtMs: number;
  ratesPerSec: Record<string, number> = {};
  errorsPerSec = 0;
  health: Record<string, ServerStats['health']> = {};
  algorithm: BalancerStats['algorithm'] = 'round-robin';
  /** The balancer's own event-loop figures, as /stats carries them. */
  saturation: BalancerStats['saturation'];
  readonly urls: string[] = [];
  readonly streams: FakeEventStream[] = [];

  constructor(
    readonly now: () => number,
    readonly servers: readonly string[],
  ) {
    this.startedAtMs = now();
    for (const name of servers) this.health[name] = 'up';
  }

  /** The balancer restarts: counters and uptime start over. */
  restart(): void {
    this.startedAtMs = this.now();
  }

  stats(): BalancerStats {
    const uptimeMs = this.now() - this.startedAtMs;
    const count = (perSec: number): number => Math.floor((perSec * uptimeMs) / 1000);
    const servers = this.servers.map(
      (name): ServerStats => ({
        name,
        url: `http://127.0.0.1:${9000 + Number(name.replace(/\D/g, ''))}`,
        weight: 1,
        health: this.health[name] ?? 'up',
        requests: count(this.ratesPerSec[name] ?? 0),
        successes: count(this.ratesPerSec[name] ?? 0),
        errors: 0,
        inFlight: 0,
        avgLatencyMs: 1.5,
        p99LatencyMs: 9,
        healthChangedAt: this.startedAtMs,
      }),
    );
    return {
      algorithm: this.algorithm,
      uptimeMs,
      totals: { requests: servers.reduce((sum, s) => sum + s.requests, 0), errors: count(this.errorsPerSec), inFlight: 0 },
      servers,
      ...(this.saturation === undefined ? {} : { saturation: this.saturation }),
    };
  }

  transport: AdminTransport = async (url, init) => {
    this.urls.push(url);
    if (this.down) {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), { code: 'ECONNREFUSED' }) });
    }
    const path = new URL(url).pathname;
    if (path === '/stats') return answer(200, JSON.stringify(this.stats()));
    if (path === '/events') {
      if (this.eventsStatus !== 200) return answer(this.eventsStatus, 'not found');
      return streamAnswer(this.openStream(url, init.signal));
    }
    return answer(404, '{}');
  };

  private openStream(url: string, signal: AbortSignal): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream: FakeEventStream = {
      url,
      closed: false,
      write: (text) => controller.enqueue(typeof text === 'string' ? encoder.encode(text) : text),
      end: () => {
        (stream as { closed: boolean }).closed = true;
        controller.close();
      },
    };
    this.streams.push(stream);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    signal.addEventListener('abort', () => {
      if (stream.closed) return;
      (stream as { closed: boolean }).closed = true;
      controller.error(signal.reason);
    });
    return body;
  }
}

function answer(status: number, text: string): AdminResponse {
  return {
    status,
    body: (async function* () {
      yield new TextEncoder().encode(text);
    })(),
    text: () => Promise.resolve(text),
    dump: () => Promise.resolve(),
  };
}

function streamAnswer(stream: ReadableStream<Uint8Array>): AdminResponse {
  const reader = stream.getReader();
  return {
    status: 200,
    body: (async function* () {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    })(),
    text: () => Promise.reject(new Error('an event stream has no end')),
    dump: () => reader.cancel(),
  };
}
