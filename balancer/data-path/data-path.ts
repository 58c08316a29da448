// The data path: choose a server, forward, stream the answer back; retry a
// failed request on another server when the retry policy allows it (within
// the retry budget); hand fan-out routes to Fanout. Per request it allocates
// one Exchange and the upstream request. Exchange and Fanout report back
// through their narrow host interfaces; outcomes are counted in OutcomeCounter.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { AdmissionQueue } from './admission-queue.js';
import type { Algorithm, Candidate, PickRequest } from '../algorithms/algorithm.js';
import { Backend } from '../upstreams/backend.js';
import type { BackendPool } from '../upstreams/backend-pool.js';
import { readBodyUpTo } from './body-buffer.js';
import type { FanoutOptions, OutlierOptions, RetryOptions } from '../config/config.js';
import type { ResilienceStats } from '../api-types.js';
import { Exchange, type ExchangeHost } from './exchange.js';
import { Fanout, type FanoutHost } from './fanout.js';
import { forwardedRequestHeaders, hasRequestBody } from './forwarded-headers.js';
import type { BalancerMetrics, RetryReason } from '../metrics/metrics.js';
import { OutcomeCounter, type DataPathTotals, type OutcomeListener } from './outcome-counter.js';
import { RetryRunner } from './retry-runner.js';
import { matchesRoute } from '../config/route-rule.js';
import { forwardOnce } from './upstream-attempt.js';

export type { DataPathTotals, OutcomeListener } from './outcome-counter.js';

/** Methods retried by default (RFC 9110 idempotent methods, without TRACE). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** The settings that can change at run time (admin API); read per request. */
export interface ResilienceSettings {
  fanout: FanoutOptions;
  retries: RetryOptions;
  outlier: OutlierOptions;
}

export interface DataPathOptions {
  readonly pool: BackendPool;
  readonly metrics: BalancerMetrics;
  readonly algorithm: Algorithm;
  readonly hashKeyParam: string;
  readonly upstreamTimeoutMs: number;
  readonly queueTimeoutMs: number;
  readonly queueMaxLength: number;
  readonly settings: ResilienceSettings;
  readonly outcomes: OutcomeListener;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random: () => number;
  /** Monotonic ms: backoff waits and fan-out deadlines. */
  readonly now: () => number;
  /** A retry the budget refused (`detail` says why). */
  readonly onRetryBudgetRefused: (detail: string) => void;
}

const SHUTTING_DOWN = 'the balancer is shutting down';

export class DataPath implements ExchangeHost, FanoutHost {
  algorithm: Algorithm;
  readonly retries: RetryRunner;
  readonly counter: OutcomeCounter;
  readonly upstreamTimeoutMs: number;
  readonly random: () => number;
  readonly now: () => number;
  private readonly pool: BackendPool;
  readonly hashKeyParam: string;
  private readonly queueTimeoutMs: number;
  private readonly queue: AdmissionQueue<Exchange>;
  private readonly settings: ResilienceSettings;
  /** Reused for every pick: algorithms read it synchronously and keep no reference. */
  private readonly pickRequest = new ExchangePickRequest();
  private draining = false;
  private closing = false;
  /** Where the next fan-out to N servers starts in the healthy list. */
  private fanoutOffset = 0;

  constructor(options: DataPathOptions) {
    this.pool = options.pool;
    this.counter = new OutcomeCounter(options.metrics, options.outcomes);
    this.algorithm = options.algorithm;
    this.hashKeyParam = options.hashKeyParam;
    this.upstreamTimeoutMs = options.upstreamTimeoutMs;
    this.queueTimeoutMs = options.queueTimeoutMs;
    this.settings = options.settings;
    this.random = options.random;
    this.now = options.now;
    this.retries = new RetryRunner({
      pool: this.pool,
      counter: this.counter,
      settings: () => this.settings.retries,
      random: options.random,
      now: options.now,
      onRetryBudgetRefused: options.onRetryBudgetRefused,
      pick: (exchange, healthy) => {
        this.pickRequest.exchange = exchange;
        const chosen = this.algorithm.pick(healthy, this.pickRequest);
        return chosen === undefined ? undefined : this.pool.get(chosen.name);
      },
      dispatch: (exchange, backend) => this.dispatch(exchange, backend),
      closing: () => this.closing,
    });
    this.queue = new AdmissionQueue<Exchange>({
      maxLength: options.queueMaxLength,
      timeoutMs: options.queueTimeoutMs,
      onTimeout: (exchange) => {
        exchange.ticket = undefined;
        const detail = `${this.algorithm.name} queue, ${this.queue.length} still waiting`;
        exchange.fail(503, `no server became free within ${this.queueTimeoutMs} ms (${detail})`, 'queue_timeout');
      },
    });
  }

  /** The `request` listener of the data server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.counter.requests++;
    this.counter.inFlight++;
    const url = req.url ?? '/';
    const exchange = new Exchange(this, req, res);
    if (this.closing) {
      exchange.fail(503, SHUTTING_DOWN, 'no_healthy_server');
      return;
    }
    const method = req.method ?? 'GET';
    const { fanout, retries } = this.settings;
    if (fanout.enabled && matchesRoute(fanout.routes, method, url)) {
      exchange.fanout = new Fanout(this, req, res, fanout, this.counter.route(url));
      exchange.fanout.start();
      return;
    }
    const hasBody = hasRequestBody(req);
    if (retries.count > 0 && (IDEMPOTENT_METHODS.has(method) || matchesRoute(retries.routes, method, url))) {
      exchange.retryable = true;
      if (hasBody) {
        this.holdBodyThenRoute(exchange, retries.maxBodyBytes);
        return;
      }
    } else if (hasBody) {
      exchange.body = req;
    }
    this.route(exchange);
  };

  get queueLength(): number {
    return this.queue.length;
  }

  totals(): DataPathTotals {
    return this.counter.totals();
  }

  resilience(ejections: number): ResilienceStats {
    return this.counter.resilience(this.retries.budget.active, ejections);
  }

  /** Switches the algorithm; waiting requests get another chance with it. */
  setAlgorithm(algorithm: Algorithm): void {
    this.algorithm = algorithm;
    this.drainQueue();
  }

  /**
   * Hands waiting requests to servers while the algorithm finds room. Called
   * when a slot frees, a server comes up or is added, or the algorithm changes.
   */
  drainQueue(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = true;
    try {
      for (let exchange = this.queue.peek(); exchange !== undefined; exchange = this.queue.peek()) {
        const candidates = this.pool.healthy();
        if (candidates.length === 0) break;
        this.pickRequest.exchange = exchange;
        const chosen = this.algorithm.pick(candidates, this.pickRequest);
        if (chosen === undefined) break;
        this.queue.shift();
        exchange.ticket = undefined;
        this.dispatch(exchange, this.backendOf(chosen));
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * HAProxy's `on-marked-down shutdown-sessions`: the requests in flight on
   * `backend` fail now (retried elsewhere when the retry policy allows it,
   * else 502 at once). Returns how many there were.
   */
  shutdownSessions(backend: Backend, reason: string): number {
    const sessions = [...backend.sessions];
    for (const session of sessions) session.shutdown(reason);
    return sessions.length;
  }

  /** A request on a connection over the connection cap: 503 at once, and the connection closes. */
  refuse(req: IncomingMessage, res: ServerResponse, open: number, max: number): void {
    this.counter.requests++;
    res.setHeader('connection', 'close');
    const message = `the balancer has ${open} client connections open, more than its limit of ${max} (maxConnections); try again`;
    this.counter.answerFailure(res, this.counter.route(req.url), 503, message, 'max_connections');
  }

  /** Stops taking requests: waiting ones get 503, new ones too. In-flight ones finish. */
  close(): void {
    this.closing = true;
    for (const exchange of this.queue.drainAll()) {
      exchange.ticket = undefined;
      exchange.fail(503, SHUTTING_DOWN, 'no_healthy_server');
    }
    for (const exchange of this.retries.drainWaiting()) exchange.fail(503, SHUTTING_DOWN, 'no_healthy_server');
  }

  // ExchangeHost and FanoutHost

  retry(exchange: Exchange, reason: RetryReason, failure: string, notSent: boolean): boolean {
    return this.retries.retry(exchange, reason, failure, notSent);
  }

  retrySettled(): void {
    this.retries.settled();
  }

  slotFreed(): void {
    this.drainQueue();
  }

  clientClosed(exchange: Exchange): void {
    this.counter.inFlight--;
    if (exchange.ticket !== undefined) {
      this.queue.cancel(exchange.ticket);
      exchange.ticket = undefined;
    }
  }

  chooseServers(count: 'all' | number): readonly Backend[] {
    const healthy = this.pool.healthy();
    if (count === 'all' || count >= healthy.length) return healthy;
    const start = this.fanoutOffset++ % healthy.length;
    return Array.from({ length: count }, (_, i) => healthy[(start + i) % healthy.length] as Backend);
  }

  // Private

  /** Takes a slot on `backend` and forwards the request. */
  private dispatch(exchange: Exchange, backend: Backend): void {
    backend.acquire();
    backend.sessions.add(exchange);
    exchange.backend = backend;
    exchange.slotHeld = true;
    exchange.tries++;
    const req = exchange.req;
    try {
      // A held body goes out with its length (also one that came chunked), a streamed one as it came.
      exchange.attempt = forwardOnce(
        backend,
        { method: req.method ?? 'GET', path: req.url ?? '/', headers: forwardedRequestHeaders(req), timeoutMs: this.upstreamTimeoutMs, body: exchange.body },
        exchange,
      );
    } catch (error) {
      backend.errors++;
      exchange.releaseRetrySlot();
      exchange.releaseSlot();
      exchange.fail(502, `could not send the request to ${backend.name}: ${(error as Error).message}`, 'upstream_failed', backend);
    }
  }

  /** Reads a retryable request's body (bounded) so it can be replayed, then routes it. */
  private holdBodyThenRoute(exchange: Exchange, limitBytes: number): void {
    void readBodyUpTo(exchange.req, limitBytes).then((read) => {
      if (read.kind === 'aborted' || exchange.res.destroyed) return;
      if (read.kind === 'complete') exchange.body = read.body;
      else {
        exchange.body = read.stream;
        exchange.retryable = false;
        exchange.bodyStreamed = true;
      }
      this.route(exchange);
    });
  }

  private route(exchange: Exchange): void {
    if (this.closing) {
      exchange.fail(503, SHUTTING_DOWN, 'no_healthy_server');
      return;
    }
    const candidates = this.pool.healthy();
    if (candidates.length === 0) {
      this.counter.answerNoHealthyServer(exchange.res, this.counter.route(exchange.req.url), this.pool.all());
      return;
    }
    if (this.queue.length !== 0) {
      this.enqueue(exchange);
      return;
    }
    this.pickRequest.exchange = exchange;
    const chosen = this.algorithm.pick(candidates, this.pickRequest);
    if (chosen === undefined) this.enqueue(exchange);
    else this.dispatch(exchange, this.backendOf(chosen));
  }

  private enqueue(exchange: Exchange): void {
    const ticket = this.queue.enqueue(exchange);
    if (ticket === undefined) {
      exchange.fail(503, `every server is busy and the queue is full (${this.queue.length} waiting)`, 'queue_full');
      return;
    }
    exchange.ticket = ticket;
  }

  private backendOf(chosen: Candidate): Backend {
    if (chosen instanceof Backend) return chosen;
    const backend = this.pool.get(chosen.name);
    if (backend === undefined) throw new Error(`${this.algorithm.name} picked "${chosen.name}", which is not a candidate`);
    return backend;
  }
}

/** The PickRequest of an exchange: its key is worked out only if the algorithm reads it. */
class ExchangePickRequest implements PickRequest {
  exchange: Exchange | undefined;

  get key(): string {
    return this.exchange?.key ?? '';
  }
}
