// The data path: choose a server, forward, stream the answer back; retry a
// failed idempotent request on another server (within the retry budget);
// hand fan-out routes to Fanout. Per request it allocates one Exchange and
// the upstream request.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { AdmissionQueue } from './admission-queue.js';
import type { Algorithm, Candidate } from '../algorithms/algorithm.js';
import { fullJitterMs, waitAtLeast } from './backoff.js';
import { Backend } from '../upstreams/backend.js';
import type { BackendPool } from '../upstreams/backend-pool.js';
import { readBodyUpTo } from './body-buffer.js';
import type { FanoutOptions, OutlierOptions, RetryOptions } from '../config/config.js';
import type { ResilienceStats } from '../api-types.js';
import { Exchange } from './exchange.js';
import { Fanout, type FanoutHost } from './fanout.js';
import { forwardedRequestHeaders, hasRequestBody } from './forwarded-headers.js';
import { hashKey } from './hash-key.js';
import { sendFailure } from './json-response.js';
import {
  NO_SERVER,
  type BalancerMetrics,
  type FailureReason,
  type FanoutAttemptResult,
  type FanoutOutcome,
  type RetryReason,
  type ServerMetrics,
} from '../metrics/metrics.js';
import { RetryBudget } from './retry-budget.js';
import { matchesRoute } from '../config/route-rule.js';
import { forwardOnce } from './upstream-attempt.js';
import { describeNames, firstListed } from '../config/describe-names.js';

/** Methods retried by default (RFC 9110 idempotent methods, without TRACE). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** The settings that can change at run time (admin API); read per request. */
export interface ResilienceSettings {
  fanout: FanoutOptions;
  retries: RetryOptions;
  outlier: OutlierOptions;
}

/** Passive health: told about every answer and failure of real traffic. */
export interface OutcomeListener {
  success(backend: Backend): void;
  /** `status 503`, `ECONNREFUSED`, `timeout after 10000 ms`. */
  failure(backend: Backend, reason: string): void;
}

export interface ProxyOptions {
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

export interface ProxyTotals {
  readonly requests: number;
  readonly errors: number;
  readonly inFlight: number;
}

export class Proxy implements FanoutHost {
  algorithm: Algorithm;
  readonly budget: RetryBudget;
  readonly upstreamTimeoutMs: number;
  readonly random: () => number;
  readonly now: () => number;
  private readonly pool: BackendPool;
  private readonly metrics: BalancerMetrics;
  private readonly noServerMetrics: ServerMetrics;
  private readonly hashKeyParam: string;
  private readonly queueTimeoutMs: number;
  private readonly queue: AdmissionQueue<Exchange>;
  private readonly settings: ResilienceSettings;
  private readonly outcomes: OutcomeListener;
  private readonly onRetryBudgetRefused: (detail: string) => void;
  /** Reused for every pick: algorithms read it synchronously and keep no reference. */
  private readonly pickRequest = { key: '' };
  private draining = false;
  private closing = false;
  private requests = 0;
  private errors = 0;
  private inFlight = 0;
  private retriesSent = 0;
  private retryRefusals = 0;
  private fanoutSuccesses = 0;
  private fanoutFailures = 0;
  private fanoutRounds = 0;
  /** Where the next fan-out to N servers starts in the healthy list. */
  private fanoutOffset = 0;

  constructor(options: ProxyOptions) {
    this.pool = options.pool;
    this.metrics = options.metrics;
    this.noServerMetrics = options.metrics.forServer(NO_SERVER);
    this.algorithm = options.algorithm;
    this.hashKeyParam = options.hashKeyParam;
    this.upstreamTimeoutMs = options.upstreamTimeoutMs;
    this.queueTimeoutMs = options.queueTimeoutMs;
    this.settings = options.settings;
    this.outcomes = options.outcomes;
    this.random = options.random;
    this.now = options.now;
    this.onRetryBudgetRefused = options.onRetryBudgetRefused;
    this.budget = new RetryBudget(() => this.inFlight);
    this.queue = new AdmissionQueue<Exchange>({
      maxLength: options.queueMaxLength,
      timeoutMs: options.queueTimeoutMs,
      onTimeout: (exchange) => this.queueTimedOut(exchange),
    });
  }

  /** The `request` listener of the data server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.requests++;
    this.inFlight++;
    const url = req.url ?? '/';
    const exchange = new Exchange(this, req, res, hashKey(url, this.hashKeyParam, req.socket.remoteAddress));
    if (this.closing) {
      this.fail(exchange, 503, 'the balancer is shutting down', 'no_healthy_server');
      return;
    }
    const method = req.method ?? 'GET';
    const { fanout, retries } = this.settings;
    if (fanout.enabled && matchesRoute(fanout.routes, method, url)) {
      exchange.fanout = new Fanout(this, req, res, fanout, this.metrics.route(url));
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

  totals(): ProxyTotals {
    return { requests: this.requests, errors: this.errors, inFlight: this.inFlight };
  }

  resilience(ejections: number): ResilienceStats {
    return {
      retries: this.retriesSent,
      retryBudgetRefusals: this.retryRefusals,
      retriesActive: this.budget.active,
      fanoutSuccesses: this.fanoutSuccesses,
      fanoutFailures: this.fanoutFailures,
      fanoutRounds: this.fanoutRounds,
      ejections,
    };
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

  /** Stops taking requests: waiting ones get 503, new ones too. In-flight ones finish. */
  close(): void {
    this.closing = true;
    for (const exchange of this.queue.drainAll()) {
      exchange.ticket = undefined;
      this.fail(exchange, 503, 'the balancer is shutting down', 'no_healthy_server');
    }
  }

  /** @internal Takes a slot on `backend` and forwards the request. */
  dispatch(exchange: Exchange, backend: Backend): void {
    backend.acquire();
    exchange.backend = backend;
    exchange.slotHeld = true;
    exchange.tries++;
    if (exchange.retryable) (exchange.tried ??= []).push(backend);
    const req = exchange.req;
    const body = exchange.body;
    try {
      // A held body goes out with its length (also one that came chunked), a streamed one as it came.
      exchange.attempt = forwardOnce(
        backend,
        { method: req.method ?? 'GET', path: req.url ?? '/', headers: forwardedRequestHeaders(req), timeoutMs: this.upstreamTimeoutMs, body },
        exchange,
      );
    } catch (error) {
      backend.errors++;
      exchange.releaseRetrySlot();
      exchange.releaseSlot();
      this.fail(exchange, 502, `could not send the request to ${backend.name}: ${(error as Error).message}`, 'upstream_failed', backend);
    }
  }

  /**
   * @internal Decides whether a failed attempt is retried and, if so, starts
   * the backoff wait. False when it is not (the caller answers the client).
   */
  retry(exchange: Exchange, reason: RetryReason, failure: string): boolean {
    if (!exchange.retryable) {
      if (exchange.bodyStreamed) this.metrics.retrySkipped('body_not_replayable');
      return false;
    }
    if (exchange.res.destroyed || this.closing) return false;
    const options = this.settings.retries;
    if (exchange.tries > options.count) {
      this.metrics.retrySkipped('exhausted');
      return false;
    }
    if (!this.hasUntriedServer(exchange)) {
      this.metrics.retrySkipped('no_other_server');
      return false;
    }
    if (!this.budget.tryAcquire(options)) {
      this.retryRefusals++;
      this.metrics.retryBudgetRefused();
      const req = exchange.req;
      this.onRetryBudgetRefused(`retry of ${req.method ?? 'GET'} ${req.url ?? '/'} after ${failure} refused: ${this.budget.describe(options)}`);
      return false;
    }
    exchange.holdsRetrySlot = true;
    this.retriesSent++;
    this.metrics.retried(reason);
    const waitMs = fullJitterMs(this.random, options.baseMs, options.capMs, exchange.tries - 1);
    exchange.backoff = waitAtLeast(waitMs, this.now, () => this.resend(exchange));
    return true;
  }

  /** @internal Final answer of `backend` to the client. */
  countResponse(exchange: Exchange, backend: Backend, status: number): void {
    if (status < 500) {
      backend.successes++;
      this.outcomes.success(backend);
    } else {
      backend.errors++;
      this.errors++;
      this.outcomes.failure(backend, `status ${status}`);
    }
    backend.metrics.countResponse(status, this.metrics.route(exchange.req.url ?? '/'));
  }

  /** @internal A 502/503 of `backend` that is retried elsewhere. */
  countRetriedStatus(exchange: Exchange, backend: Backend, status: number): void {
    backend.errors++;
    this.outcomes.failure(backend, `status ${status}`);
    backend.metrics.countResponse(status, this.metrics.route(exchange.req.url ?? '/'));
  }

  /** @internal A failure before any response (connection error, reset, timeout). */
  countFailure(backend: Backend, reason: string): void {
    backend.errors++;
    this.outcomes.failure(backend, reason);
  }

  /** @internal A connection failure that is retried elsewhere: counted as a 5xx of that server. */
  countRetriedFailure(exchange: Exchange, backend: Backend): void {
    backend.metrics.countResponse(502, this.metrics.route(exchange.req.url ?? '/'));
  }

  /** @internal Answers with a balancer failure (JSON) and counts it. */
  fail(exchange: Exchange, status: number, message: string, reason: FailureReason, backend?: Backend): void {
    this.errors++;
    this.metrics.failure(reason);
    (backend?.metrics ?? this.noServerMetrics).countResponse(status, this.metrics.route(exchange.req.url ?? '/'));
    if (exchange.res.destroyed) return;
    const retries = exchange.retries;
    if (retries > 0) exchange.res.setHeader('x-lblab-retries', String(retries));
    sendFailure(exchange.res, status, message, {
      ...(backend === undefined ? {} : { server: backend.name }),
      ...(retries > 0 ? { retries, retried: exchange.failures ?? [] } : {}),
    });
  }

  /** @internal A request aborted by its client before the answer: counted as an error of its server. */
  countAbort(exchange: Exchange): void {
    this.errors++;
    const backend = exchange.backend;
    if (backend === undefined) return;
    backend.errors++;
    backend.metrics.countAborted(this.metrics.route(exchange.req.url ?? '/'));
  }

  /** @internal */
  clientClosed(exchange: Exchange): void {
    this.inFlight--;
    if (exchange.ticket !== undefined) {
      this.queue.cancel(exchange.ticket);
      exchange.ticket = undefined;
    }
  }

  // FanoutHost

  chooseServers(count: 'all' | number): readonly Backend[] {
    const healthy = this.pool.healthy();
    if (count === 'all' || count >= healthy.length) return healthy;
    const start = this.fanoutOffset++ % healthy.length;
    return Array.from({ length: count }, (_, i) => healthy[(start + i) % healthy.length] as Backend);
  }

  countAttemptStatus(backend: Backend, status: number, route: string): void {
    if (status < 500) {
      backend.successes++;
      this.outcomes.success(backend);
    } else {
      backend.errors++;
      this.outcomes.failure(backend, `status ${status}`);
    }
    backend.metrics.countResponse(status, route);
  }

  countAttemptFailure(backend: Backend, status: number, route: string, reason: string, counts: boolean): void {
    backend.errors++;
    if (counts) this.outcomes.failure(backend, reason);
    backend.metrics.countResponse(status, route);
  }

  countAttemptCancelled(backend: Backend, route: string): void {
    backend.metrics.countCancelled(route);
  }

  fanoutAttempt(backend: Backend, result: FanoutAttemptResult): void {
    this.metrics.fanoutAttempt(backend.name, result);
  }

  fanoutWait(waitMs: number): void {
    this.metrics.fanoutBackoffMs(waitMs);
  }

  fanoutFinished(outcome: FanoutOutcome, rounds: number): void {
    if (outcome === 'success') this.fanoutSuccesses++;
    else if (outcome === 'failure') this.fanoutFailures++;
    this.fanoutRounds += rounds;
    this.metrics.fanoutFinished(outcome, rounds);
  }

  answerFailure(res: ServerResponse, url: string, status: number, message: string, reason: FailureReason, extra?: Record<string, unknown>): void {
    this.errors++;
    this.metrics.failure(reason);
    this.noServerMetrics.countResponse(status, this.metrics.route(url));
    if (!res.destroyed) sendFailure(res, status, message, extra);
  }

  slotFreed(): void {
    this.drainQueue();
  }

  // Private

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
      this.fail(exchange, 503, 'the balancer is shutting down', 'no_healthy_server');
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
      this.fail(exchange, 502, `no other healthy server to retry on after ${(exchange.failures ?? []).join(', ')} (tried ${tried})`, 'upstream_failed');
      return;
    }
    this.dispatch(exchange, target);
  }

  private hasUntriedServer(exchange: Exchange): boolean {
    const tried = exchange.tried ?? [];
    return this.pool.healthy().some((backend) => !tried.includes(backend));
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
      this.fail(exchange, 503, `every server is busy and the queue is full (${this.queue.length} waiting)`, 'queue_full');
      return;
    }
    exchange.ticket = ticket;
  }

  private queueTimedOut(exchange: Exchange): void {
    exchange.ticket = undefined;
    this.fail(
      exchange,
      503,
      `no server became free within ${this.queueTimeoutMs} ms (${this.algorithm.name} queue, ${this.queue.length} still waiting)`,
      'queue_timeout',
    );
  }

  private noHealthyServer(exchange: Exchange): void {
    const all = this.pool.all();
    // A few servers and a count, never every one of them (bodies stay small however large the pool).
    const servers = firstListed(all).map((b) => ({ name: b.name, health: b.health }));
    const message =
      all.length === 0
        ? 'no healthy server: no servers are registered'
        : `no healthy server: ${describeNames(all.map((b) => `${b.name} ${b.health}`))}`;
    this.errors++;
    this.metrics.failure('no_healthy_server');
    this.noServerMetrics.countResponse(503, this.metrics.route(exchange.req.url ?? '/'));
    const count = all.length > servers.length ? { serverCount: all.length } : {};
    if (!exchange.res.destroyed) sendFailure(exchange.res, 503, message, { servers, ...count });
  }

  private backendOf(chosen: Candidate): Backend {
    if (chosen instanceof Backend) return chosen;
    const backend = this.pool.get(chosen.name);
    if (backend === undefined) throw new Error(`${this.algorithm.name} picked "${chosen.name}", which is not a candidate`);
    return backend;
  }
}
