// The data port in tcp mode (layer 4): each client connection is relayed,
// bytes both ways, to one server the algorithm picks when it arrives. The
// balancer sees no requests, so a keep-alive client stays on one server.
import net, { type Server, type Socket } from 'node:net';

import type { Algorithm, AlgorithmContext, AlgorithmName, AlgorithmOptions } from '../algorithms/algorithm.js';
import { createAlgorithm } from '../algorithms/index.js';
import type { BalancerEvent, BalancerStats } from '../api-types.js';
import type { EventLog } from '../admin/event-log.js';
import type { Backend } from '../upstreams/backend.js';
import type { BackendPool } from '../upstreams/backend-pool.js';
import { relaySockets, type SocketRelay } from './socket-relay.js';
import { TcpCounters, type TcpRefusalReason } from './tcp-counters.js';
import { ConnectionQueue } from './connection-queue.js';

/** What the tcp data path needs of the balancer (a narrow view of BalancerCore). */
export interface TcpHost {
  readonly pool: BackendPool;
  readonly events: EventLog;
  readonly context: AlgorithmContext;
  readonly algorithm: AlgorithmName;
  readonly currentAlgorithmOptions: AlgorithmOptions;
  /** `retries.count`: other servers tried when a connect fails (no byte has been sent, so it is safe). */
  readonly settings: { readonly retries: { readonly count: number } };
}

export interface TcpDataPathOptions {
  /** Time a connect to a server may take before the next server is tried. */
  readonly connectTimeoutMs: number;
  /** first-available: how long a connection may wait for a free server. */
  readonly queueTimeoutMs: number;
  readonly queueMaxLength: number;
  /** One line without a timestamp. */
  readonly log: (line: string) => void;
}

interface Pending {
  readonly client: Socket;
  /** The client address: the key of consistent-hash and maglev. */
  readonly key: string;
  /** Servers whose connect failed for this client. */
  readonly tried: Set<string>;
}

const NO_TRIED: ReadonlySet<string> = new Set();

export class TcpDataPath {
  readonly server: Server;
  readonly counters = new TcpCounters();
  private algorithm: Algorithm;
  private readonly relays = new Map<string, Set<SocketRelay>>();
  private readonly queue: ConnectionQueue<Pending>;
  private readonly unsubscribe: () => void;
  private closing = false;

  constructor(
    private readonly host: TcpHost,
    private readonly options: TcpDataPathOptions,
  ) {
    this.algorithm = createAlgorithm(host.algorithm, host.context, host.currentAlgorithmOptions);
    this.queue = new ConnectionQueue<Pending>({
      timeoutMs: options.queueTimeoutMs,
      maxLength: options.queueMaxLength,
      timedOut: (pending) => this.refuse(pending.client, 'queue_timeout'),
    });
    this.server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) => this.accept(client));
    this.unsubscribe = host.events.subscribe((event) => this.onEvent(event));
  }

  get queued(): number {
    return this.queue.length;
  }

  /** /stats with the connection counts (BalancerCore's stats hook). */
  readonly extendStats = (stats: BalancerStats): BalancerStats => ({
    ...stats,
    mode: 'tcp',
    connections: this.counters.totals(this.queue.length),
    servers: stats.servers.map((server) => ({ ...server, ...this.counters.serverFields(server.name) })),
  });

  /**
   * Stops accepting and drops waiting connections; relayed ones may finish
   * for `graceMs`, then are cut.
   */
  close(graceMs: number): Promise<void> {
    this.closing = true;
    this.unsubscribe();
    for (const pending of this.queue.clear()) this.refuse(pending.client, 'closing');
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.destroyAll(), graceMs);
      this.server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.closing) {
      this.refuse(client, 'closing');
      return;
    }
    const address = client.remoteAddress ?? '';
    const key = address.startsWith('::ffff:') ? address.slice(7) : address;
    this.dispatch({ client, key, tried: new Set() });
  }

  private dispatch(pending: Pending): void {
    const candidates = this.candidates(pending.tried);
    if (candidates.length === 0) {
      this.refuse(pending.client, pending.tried.size === 0 ? 'no_healthy_server' : 'connect_failed');
      return;
    }
    const backend = this.algorithm.pick(candidates, { key: pending.key }) as Backend | undefined;
    if (backend !== undefined) {
      this.connect(pending, backend);
      return;
    }
    if (!this.queue.push(pending)) this.refuse(pending.client, 'queue_full');
  }

  private candidates(tried: ReadonlySet<string>): readonly Backend[] {
    const healthy = this.host.pool.healthy();
    return tried.size === 0 ? healthy : healthy.filter((backend) => !tried.has(backend.name));
  }

  /** Connections wait (first-available at capacity) until a server frees a slot or comes up. */
  private drainQueue(): void {
    while (this.queue.length > 0) {
      const next = this.queue.peek() as Pending;
      if (next.client.destroyed) {
        this.queue.shift();
        continue;
      }
      const candidates = this.candidates(NO_TRIED);
      if (candidates.length === 0) return;
      const backend = this.algorithm.pick(candidates, { key: next.key }) as Backend | undefined;
      if (backend === undefined) return;
      this.queue.shift();
      this.connect(next, backend);
    }
  }

  private connect(pending: Pending, backend: Backend): void {
    const counts = this.counters.forServer(backend.name);
    // The slot is taken at the pick, so least-connections and first-available see the connection at once.
    backend.inFlight++;
    const upstream = net.connect({ host: backend.hostname, port: backend.port, allowHalfOpen: true, noDelay: true });
    const timeoutMs = this.options.connectTimeoutMs;
    const timer = setTimeout(() => upstream.destroy(new Error(`connect timeout after ${timeoutMs} ms`)), timeoutMs);
    const failed = (error: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      backend.inFlight--;
      counts.connectFailures++;
      pending.tried.add(backend.name);
      const retriesLeft = this.host.settings.retries.count - (pending.tried.size - 1);
      this.options.log(
        `tcp connect to ${backend.name} failed: ${error.code ?? error.message}` +
          (retriesLeft > 0 && !pending.client.destroyed ? '; trying another server' : ''),
      );
      if (pending.client.destroyed) this.drainQueue();
      else if (retriesLeft > 0 && !this.closing) this.dispatch(pending);
      else this.refuse(pending.client, 'connect_failed');
    };
    upstream.once('error', failed);
    upstream.once('connect', () => {
      clearTimeout(timer);
      upstream.off('error', failed);
      if (pending.client.destroyed || this.closing) {
        upstream.destroy();
        backend.inFlight--;
        this.drainQueue();
        return;
      }
      this.relay(pending.client, upstream, backend);
    });
  }

  private relay(client: Socket, upstream: Socket, backend: Backend): void {
    const counts = this.counters.forServer(backend.name);
    counts.open++;
    counts.total++;
    this.counters.open++;
    this.counters.total++;
    let set = this.relays.get(backend.name);
    if (set === undefined) {
      set = new Set();
      this.relays.set(backend.name, set);
    }
    const relays = set;
    const relay = relaySockets(client, upstream, {
      bytesToServer: (bytes) => {
        counts.bytesToServer += bytes;
        this.counters.bytesToServers += bytes;
      },
      bytesToClient: (bytes) => {
        counts.bytesToClient += bytes;
        this.counters.bytesToClients += bytes;
      },
      closed: () => {
        counts.open--;
        this.counters.open--;
        backend.inFlight--;
        relays.delete(relay);
        this.drainQueue();
      },
    });
    relays.add(relay);
  }

  private refuse(client: Socket, reason: TcpRefusalReason): void {
    this.counters.refuse(reason);
    client.destroy();
  }

  private onEvent(event: BalancerEvent): void {
    if (event.type === 'algorithm') {
      this.algorithm = createAlgorithm(this.host.algorithm, this.host.context, this.host.currentAlgorithmOptions);
      this.drainQueue();
    } else if (event.type === 'added' || (event.type === 'health' && event.health === 'up')) {
      this.drainQueue();
    } else if (event.server !== undefined && (event.type === 'removed' || event.health === 'down' || event.health === 'ejected')) {
      this.shutdownSessions(event.server, event.type === 'removed' ? 'removed' : `marked ${event.health}`);
    }
  }

  /** HAProxy's `on-marked-down shutdown-sessions`: the clients of a server that left the rotation are not left waiting on it. */
  private shutdownSessions(name: string, why: string): void {
    const relays = this.relays.get(name);
    if (relays === undefined || relays.size === 0) return;
    const count = relays.size;
    for (const relay of [...relays]) relay.destroy();
    this.options.log(`closed ${count} connection${count === 1 ? '' : 's'} of ${name} (${why})`);
  }

  private destroyAll(): void {
    for (const relays of this.relays.values()) for (const relay of [...relays]) relay.destroy();
  }
}
