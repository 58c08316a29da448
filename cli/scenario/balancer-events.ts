import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import type { BalancerEvent } from '../../balancer/api-types.js';
import { SseParser } from '../lab/sse-parser.js';
import { bearerHeaders } from '../lab/lab-token.js';

export interface BalancerEventStreamOptions {
  /** e.g. http://127.0.0.1:8081 */
  readonly adminUrl: string;
  /** The lab's admin token, sent as Authorization: Bearer. */
  readonly token?: string;
  readonly onEvent: (event: BalancerEvent) => void;
  readonly onWarning: (text: string) => void;
  /** Time allowed for GET /events to answer. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** Pause before connecting again after the stream ended. Default 250. */
  readonly reconnectDelayMs?: number;
  /** Reconnections allowed over the stream's life. Default 200. */
  readonly maxReconnects?: number;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows the balancer's GET /events (server-sent events). When the stream
 * breaks (the balancer restarted, a proxy closed it) it connects again with
 * `?since=<last event time>` and drops the events it already delivered.
 */
export class BalancerEventStream {
  private request: ClientRequest | undefined;
  private closed = false;
  private lastAtMs: number | undefined;
  private readonly seen = new Set<string>();
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly options: BalancerEventStreamOptions) {}

  /** Resolves once the balancer has answered GET /events; rejects when it does not within connectTimeoutMs. */
  static async open(options: BalancerEventStreamOptions): Promise<BalancerEventStream> {
    const stream = new BalancerEventStream(options);
    const response = await stream.connect();
    stream.loop = stream.follow(response);
    return stream;
  }

  /** Stops following and closes the connection (so the balancer can shut down at once); resolves once the reading loop has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.request?.destroy();
    await this.loop;
  }

  /** A connection of its own (no keep-alive pool), so close() can destroy it. */
  private connect(): Promise<IncomingMessage> {
    const query = this.lastAtMs === undefined ? '' : `?since=${this.lastAtMs}`;
    const url = `${this.options.adminUrl}/events${query}`;
    const timeoutMs = this.options.connectTimeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...bearerHeaders(this.options.token) } }, (response) => {
        clearTimeout(timer);
        if (response.statusCode !== 200) {
          request.destroy();
          reject(new Error(`GET ${url} answered ${response.statusCode ?? 'nothing'}`));
          return;
        }
        resolve(response);
      });
      const timer = setTimeout(() => request.destroy(new Error(`GET ${url} did not answer within ${timeoutMs} ms`)), timeoutMs);
      request.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.request = request;
    });
  }

  private async follow(first: IncomingMessage): Promise<void> {
    let response: IncomingMessage | undefined = first;
    const maxReconnects = this.options.maxReconnects ?? 200;
    for (let reconnects = 0; !this.closed; reconnects++) {
      if (response !== undefined) await this.read(response);
      response = undefined;
      if (this.closed) return;
      if (reconnects >= maxReconnects) {
        this.options.onWarning(`lost the balancer's event stream after ${maxReconnects} reconnections; later health changes are not recorded`);
        return;
      }
      await delay(this.options.reconnectDelayMs ?? 250);
      if (this.closed) return;
      response = await this.connect().catch(() => undefined);
    }
  }

  /** Delivers the events of one connection; resolves when it ends, breaks or is closed. */
  private read(response: IncomingMessage): Promise<void> {
    const parser = new SseParser();
    return new Promise((resolve) => {
      response.on('data', (chunk: Buffer) => {
        for (const message of parser.push(chunk)) this.deliver(message.data);
      });
      response.once('end', () => resolve());
      response.once('close', () => resolve());
      response.once('error', () => resolve());
    });
  }

  private deliver(data: string): void {
    let event: BalancerEvent;
    try {
      event = JSON.parse(data) as BalancerEvent;
    } catch {
      return;
    }
    if (typeof event !== 'object' || event === null || typeof event.at !== 'number') return;
    const key = `${event.at}|${event.type}|${event.server ?? ''}|${event.health ?? ''}|${event.detail ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.lastAtMs = Math.max(this.lastAtMs ?? 0, event.at);
    this.options.onEvent(event);
  }
}
