import type { Client } from 'undici';
import ClientClass from 'undici/lib/dispatcher/client.js';

/**
 * The run's connections, one undici Client each (one request at a time),
 * handed out by the run: an idle one is popped from a stack, a busy one comes
 * back when its request settled. In place of undici's Pool, which per request
 * scans its clients for a free one and round-trips a `drain` event through
 * itself; here a request waits in the run's own queue while every connection
 * is busy. Clients are made on demand, up to `maxConnections`, by path
 * (without the rest of undici, as balancer/upstreams/undici-pool.ts does).
 */
export class ConnectionSet {
  private readonly idle: Client[] = [];
  private readonly all: Client[] = [];
  private destroyedValue = false;

  constructor(
    private readonly origin: string,
    private readonly options: Client.Options,
    private readonly maxConnections: number,
  ) {}

  /** An idle connection, a new one while under maxConnections, or undefined when all are busy. */
  acquire(): Client | undefined {
    // After destroy(): a destroyed client, whose dispatch fails at once (the request is reported failed, never left waiting).
    if (this.destroyedValue) return this.all[0] ?? this.destroyedClient();
    const client = this.idle.pop();
    if (client !== undefined || this.all.length >= this.maxConnections) return client;
    const created = new ClientClass(this.origin, this.options);
    this.all.push(created);
    return created;
  }

  private destroyedClient(): Client {
    const client = new ClientClass(this.origin, this.options);
    this.all.push(client);
    client.destroy().catch(() => undefined);
    return client;
  }

  /** Gives back a connection whose request settled. */
  release(client: Client): void {
    this.idle.push(client);
  }

  /** Connections made so far. */
  get size(): number {
    return this.all.length;
  }

  get destroyed(): boolean {
    return this.destroyedValue;
  }

  /** Closes every connection at once; requests in flight fail (a request dispatched afterwards fails too). */
  async destroy(): Promise<void> {
    this.destroyedValue = true;
    await Promise.all(this.all.map((client) => client.destroy().catch(() => undefined)));
  }
}
