// The data path: choose a server, forward, stream the answer back; retry a
// failed request on another server when the retry policy allows it (within
// the retry budget); hand fan-out routes to Fanout. Per request it allocates
// one Exchange and the upstream request. Exchange and Fanout report back
// through their narrow host interfaces; outcomes are counted in OutcomeCounter.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { AdmissionQueue } from './admission-queue.js';
import type { Algorithm, Candidate } from '../algorithms/algorithm.js';
import { waitAtLeast } from './backoff.js';
import { Backend } from '../upstreams/backend.js';
import type { BackendPool } from '../upstreams/backend-pool.js';
import { readBodyUpTo } from './body-buffer.js';
import type { FanoutOptions, OutlierOptions, RetryOptions } from '../config/config.js';
import type { ResilienceStats } from '../api-types.js';
import { Exchange, type ExchangeHost } from './exchange.js';
import { Fanout, type FanoutHost } from './fanout.js';
import { forwardedRequestHeaders, hasRequestBody } from './forwarded-headers.js';
import { hashKey } from './hash-key.js';
import type { BalancerMetrics, RetryReason } from '../metrics/metrics.js';
import { OutcomeCounter, type DataPathTotals, type OutcomeListener } from './outcome-counter.js';
import { RetryBudget } from './retry-budget.js';
import { decideRetry } from './retry-policy.js';
import { matchesRoute } from '../config/route-rule.js';
import { forwardOnce } from './upstream-attempt.js';
import { describeNames, firstListed } from '../config/describe-names.js';

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
  readonly budget: RetryBudget;
  readonly counter: OutcomeCounter;
  readonly upstreamTimeoutMs: number;
  readonly random: () => number;
  readonly now: () => number;
  private readonly pool: BackendPool;
  private readonly hashKeyParam: string;
  private readonly queueTimeoutMs: number;
  private readonly queue: AdmissionQueue<Exchange>;
  private readonly settings: ResilienceSettings;
  private readonly onRetryBudgetRefused: (detail: string) => void;
  /** Reused for every pick: algorithms read it synchronously and keep no reference. */
  private readonly pickRequest = { key: '' };
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
    this.onRetryBudgetRefused = options.onRetryBudgetRefused;
    this.budget = new RetryBudget(() => this.counter.inFlight);
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
    const exchange = new Exchange(this, req, res, hashKey(url, this.hashKeyParam, req.socket.remoteAddress));
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
    return this.counter.resilience(this.budget.active, ejections);
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
        this.pickRequest.key = exchange.key;
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
  }

  // ExchangeHost and FanoutHost

  retry(exchange: Exchange, reason: RetryReason, failure: string, notSent: boolean): boolean {
    const options = this.settings.retries;
    const tried = exchange.tried ?? [];
    const decision = decideRetry(
      {
        retryable: exchange.retryable,
        bodyStreamed: exchange.bodyStreamed,
        notSent,
        abandoned: exchange.res.destroyed || this.closing,
        tries: exchange.tries,
        notSentTries: exchange.notSentTries,
        hasUntriedServer: this.pool.healthy().some((backend) => !tried.includes(backend)),
        budgetFree: this.budget.active < this.budget.limit(options),
        options,
      },
      this.random,
    );
    if (!decision.retry) {
      if (decision.skipped !== undefined) this.counter.retrySkipped(decision.skipped);
      if (decision.budget === true) {
        this.counter.retryRefused();
        const req = exchange.req;
        this.onRetryBudgetRefused(`retry of ${req.method ?? 'GET'} ${req.url ?? '/'} after ${failure} refused: ${this.budget.describe(options)}`);
      }
      return false;
    }
    this.budget.tryAcquire(options);
    exchange.holdsRetrySlot = true;
    this.counter.retried(reason);
    exchange.backoff = waitAtLeast(decision.waitMs, this.now, () => this.resend(exchange));
    return true;
  }

  retrySettled(): void {
    this.budget.release();
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
      this.noHealthyServer(exchange);
      return;
    }
    if (this.queue.length !== 0) {
      this.enqueue(exchange);
      return;
    }
    this.pickRequest.key = exchange.key;
    const chosen = this.algorithm.pick(candidates, this.pickRequest);
    if (chosen === undefined) this.enqueue(exchange);
    else this.dispatch(exchange, this.backendOf(chosen));
  }

  /** After the backoff: sends the request to a server it has not tried. */
  private resend(exchange: Exchange): void {
    exchange.backoff = undefined;
    if (exchange.res.destroyed) {
      exchange.releaseRetrySlot();
      return;
    }
    const target = this.closing ? undefined : this.untriedServer(exchange);
    if (target === undefined) {
      exchange.releaseRetrySlot();
      const tried = (exchange.tried ?? []).map((b) => b.name).join(', ');
      exchange.fail(502, `no other healthy server to retry on after ${(exchange.failures ?? []).join(', ')} (tried ${tried})`, 'upstream_failed');
      return;
    }
    this.dispatch(exchange, target);
  }

  /**
   * The algorithm's pick when it is a server not tried yet; else the untried
   * server with the fewest requests in flight (so hashing algorithms keep
   * their tables, and first-available its order).
   */
  private untriedServer(exchange: Exchange): Backend | undefined {
    const healthy = this.pool.healthy();
    if (healthy.length === 0) return undefined;
    const tried = exchange.tried ?? [];
    this.pickRequest.key = exchange.key;
    const chosen = this.algorithm.pick(healthy, this.pickRequest);
    const picked = chosen === undefined ? undefined : this.pool.get(chosen.name);
    if (picked !== undefined && !tried.includes(picked)) return picked;
    let best: Backend | undefined;
    for (const backend of healthy) {
      if (tried.includes(backend)) continue;
      if (best === undefined || backend.inFlight < best.inFlight) best = backend;
    }
    return best;
  }

  private enqueue(exchange: Exchange): void {
    const ticket = this.queue.enqueue(exchange);
    if (ticket === undefined) {
      exchange.fail(503, `every server is busy and the queue is full (${this.queue.length} waiting)`, 'queue_full');
      return;
    }
    exchange.ticket = ticket;
  }

  private noHealthyServer(exchange: Exchange): void {
    const all = this.pool.all();
    // A few servers and a count, never every one of them (bodies stay small however large the pool).
    const servers = firstListed(all).map((b) => ({ name: b.name, health: b.health }));
    const message =
      all.length === 0
        ? 'no healthy server: no servers are registered'
        : `no healthy server: ${describeNames(all.map((b) => `${b.name} ${b.health}`))}`;
    const count = all.length > servers.length ? { serverCount: all.length } : {};
    this.counter.answerFailure(exchange.res, this.counter.route(exchange.req.url), 503, message, 'no_healthy_server', { servers, ...count });
  }

  private backendOf(chosen: Candidate): Backend {
    if (chosen instanceof Backend) return chosen;
    const backend = this.pool.get(chosen.name);
    if (backend === undefined) throw new Error(`${this.algorithm.name} picked "${chosen.name}", which is not a candidate`);
    return backend;
  }
}
