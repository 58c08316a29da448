import type { BalancerEvent } from '../../balancer/api-types.js';
import { LabError } from '../errors.js';
import { authHeaders, describeFailure, undiciTransport, type AdminTransport } from './admin-transport.js';
import { SseParser } from './sse-parser.js';

export type EventStreamStatus = 'connecting' | 'open' | 'retrying';

export interface BalancerEventsOptions {
  /** e.g. http://127.0.0.1:8081; a function is asked again at each connection (the lab may come back on another port). */
  readonly adminUrl: string | (() => string);
  /** The lab's admin token, sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly onEvent: (event: BalancerEvent) => void;
  /** Connection state changes; `detail` says why a connection failed. */
  readonly onStatus?: (status: EventStreamStatus, detail?: string) => void;
  /** Called once when maxReconnects is used up; the client then stops. */
  readonly onGiveUp?: (text: string) => void;
  /** The first connection replays the kept events from this time (epoch ms); later ones go on from the last event. */
  readonly sinceMs?: number;
  /** Time allowed until GET /events answers (default 5000). */
  readonly headersTimeoutMs?: number;
  /** A stream silent this long is cut and opened again; the balancer pings every 15 s (default 45000). */
  readonly idleTimeoutMs?: number;
  /** Waits before connecting again: the first after a stream that was open, then one per failure in a row, the last repeating (default 250, 500, 1000, 2000). */
  readonly retryDelaysMs?: readonly number[];
  /** Connections allowed after the first (default: no limit). */
  readonly maxReconnects?: number;
  readonly transport?: AdminTransport;
}

const DEFAULT_RETRY_DELAYS_MS = [250, 500, 1_000, 2_000] as const;

function isEvent(value: unknown): value is BalancerEvent {
  return typeof value === 'object' && value !== null && typeof (value as { at?: unknown }).at === 'number' && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Follows the balancer's GET /events (server-sent events). When the stream
 * breaks (the balancer restarted, a proxy closed it, it went silent) it
 * connects again with `?since=<last event time>`; `since` replays the events
 * of that very millisecond, so those already delivered are dropped. The one
 * client of the event stream: the dashboard and the scenario recorder use it.
 */
export class BalancerEventsClient {
  private readonly transport: AdminTransport;
  private closed = false;
  private started = false;
  private loopDone: Promise<void> = Promise.resolve();
  private connection: AbortController | undefined;
  private wake: (() => void) | undefined;
  private skipDelay = false;
  private lastAtMs: number | undefined;
  private keysAtLast = new Set<string>();
  private firstOpen: { resolve: () => void; reject: (error: unknown) => void } | undefined;

  constructor(private readonly options: BalancerEventsOptions) {
    this.transport = options.transport ?? undiciTransport;
  }

  /**
   * Connects and resolves once the balancer has answered GET /events; rejects
   * (LBLAB_ADMIN, with the cause) when the first connection fails.
   */
  static async open(options: BalancerEventsOptions): Promise<BalancerEventsClient> {
    const client = new BalancerEventsClient(options);
    const opened = new Promise<void>((resolve, reject) => {
      client.firstOpen = { resolve, reject };
    });
    client.start();
    try {
      await opened;
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  /** Starts following in the background; failures are retried. Idempotent. */
  start(): this {
    if (this.started || this.closed) return this;
    this.started = true;
    this.loopDone = this.loop();
    return this;
  }

  /** Drops the current connection (if any) and connects again at once. */
  reconnect(): void {
    this.skipDelay = true;
    this.connection?.abort();
    this.wake?.();
  }

  /** Stops following and closes the connection (so the balancer can shut down at once); resolves once the loop has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.connection?.abort();
    this.wake?.();
    await this.loopDone;
  }

  private adminUrl(): string {
    const { adminUrl } = this.options;
    return typeof adminUrl === 'string' ? adminUrl : adminUrl();
  }

  private async loop(): Promise<void> {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    const headersTimeoutMs = this.options.headersTimeoutMs ?? 5_000;
    let failures = 0;
    for (let reconnects = 0; !this.closed; reconnects++) {
      const controller = new AbortController();
      this.connection = controller;
      let opened = false;
      let reason = '';
      try {
        const since = this.lastAtMs ?? this.options.sinceMs;
        const url = `${this.adminUrl()}/events${since === undefined ? '' : `?since=${Math.max(0, Math.floor(since))}`}`;
        const response = await this.transport(url, {
          signal: controller.signal,
          headers: { accept: 'text/event-stream', ...authHeaders(this.options.token) },
          headersTimeoutMs,
          bodyTimeoutMs: this.options.idleTimeoutMs ?? 45_000,
        });
        if (response.status !== 200) {
          await response.dump().catch(() => undefined);
          const refused = response.status === 401 || response.status === 403 ? ' (the admin token was refused)' : '';
          throw new Error(`GET /events answered ${response.status}${refused}`);
        }
        opened = true;
        failures = 0;
        this.options.onStatus?.('open');
        this.firstOpen?.resolve();
        this.firstOpen = undefined;
        const parser = new SseParser();
        for await (const chunk of response.body) {
          for (const message of parser.push(chunk)) this.deliver(message.data);
        }
      } catch (error) {
        reason = describeFailure(error, headersTimeoutMs);
        if (this.firstOpen !== undefined && !opened) {
          this.firstOpen.reject(
            new LabError('LBLAB_ADMIN', `the balancer's event stream at ${this.adminUrl()}/events did not open: ${reason}`, { cause: error }),
          );
          this.firstOpen = undefined;
          this.closed = true;
        }
      } finally {
        if (this.connection === controller) this.connection = undefined;
      }
      if (this.closed) return;
      const maxReconnects = this.options.maxReconnects ?? Number.POSITIVE_INFINITY;
      if (reconnects >= maxReconnects) {
        this.options.onGiveUp?.(
          `lost the balancer's event stream after ${maxReconnects} reconnections; later health changes are not recorded`,
        );
        return;
      }
      if (!opened) failures += 1;
      this.options.onStatus?.('retrying', reason === '' ? 'the stream ended' : reason);
      const delayMs = opened ? (delays[0] ?? 250) : (delays[Math.min(failures - 1, delays.length - 1)] ?? 1_000);
      await this.pause(this.skipDelay ? 0 : delayMs);
      this.skipDelay = false;
    }
  }

  /** Waits delayMs, cut short by reconnect() or close(). */
  private pause(delayMs: number): Promise<void> {
    if (delayMs <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      this.wake = done;
    });
  }

  private deliver(data: string): void {
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    if (!isEvent(event) || this.isDuplicate(event)) return;
    this.options.onEvent(event);
  }

  /** The one dedup rule: older than the last event, or the same event at the same millisecond. */
  private isDuplicate(event: BalancerEvent): boolean {
    const key = JSON.stringify(event);
    if (this.lastAtMs !== undefined) {
      if (event.at < this.lastAtMs) return true;
      if (event.at === this.lastAtMs && this.keysAtLast.has(key)) return true;
    }
    if (event.at !== this.lastAtMs) this.keysAtLast = new Set();
    this.lastAtMs = event.at;
    this.keysAtLast.add(key);
    return false;
  }
}
