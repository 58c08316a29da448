// Carries out the retry policy's decisions for the data path: the retry
// budget's slot, the backoff wait, then the attempt on a server not tried
// yet. A 502 or 503 is what a struggling server says: over the budget its
// retry is refused, so a failing lab cannot multiply its own load. A
// connection reset and a request cut from a server marked down are what a
// dead server leaves, often a batch at once: over the budget they wait for a
// slot (in arrival order) and go a few at a time as earlier retries get
// their answers, instead of failing.
import type { RetryOptions } from '../config/config.js';
import type { RetryReason } from '../metrics/metrics.js';
import type { Backend } from '../upstreams/backend.js';
import type { BackendPool } from '../upstreams/backend-pool.js';
import { waitAtLeast } from './backoff.js';
import type { Exchange } from './exchange.js';
import type { OutcomeCounter } from './outcome-counter.js';
import { RetryBudget } from './retry-budget.js';
import { decideRetry, fullJitterFor, retryTarget } from './retry-policy.js';

export interface RetryRunnerOptions {
  readonly pool: BackendPool;
  readonly counter: OutcomeCounter;
  /** The retry settings in force (they change at run time). */
  readonly settings: () => RetryOptions;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random: () => number;
  /** Monotonic ms: backoff waits. */
  readonly now: () => number;
  /** A retry the budget refused (`detail` says why). */
  readonly onRetryBudgetRefused: (detail: string) => void;
  /** The algorithm's pick for the exchange among `healthy`. */
  readonly pick: (exchange: Exchange, healthy: readonly Backend[]) => Backend | undefined;
  /** Takes a slot on `backend` and sends the exchange there. */
  readonly dispatch: (exchange: Exchange, backend: Backend) => void;
  readonly closing: () => boolean;
}

export class RetryRunner {
  readonly budget: RetryBudget;
  /** Requests a dead server left (reset, cut when marked down), waiting for a slot of the budget. */
  private readonly waiting: { readonly exchange: Exchange; readonly reason: RetryReason }[] = [];

  constructor(private readonly options: RetryRunnerOptions) {
    this.budget = new RetryBudget(() => options.counter.inFlight);
  }

  /** Starts a retry when the policy allows it; false when the caller must answer the client. */
  retry(exchange: Exchange, reason: RetryReason, failure: string, notSent: boolean): boolean {
    const options = this.options.settings();
    const tried = exchange.tried ?? [];
    const decision = decideRetry(
      {
        retryable: exchange.retryable,
        bodyStreamed: exchange.bodyStreamed,
        notSent,
        abandoned: exchange.res.destroyed || this.options.closing(),
        tries: exchange.tries,
        notSentTries: exchange.notSentTries,
        hasUntriedServer: this.options.pool.healthy().some((backend) => !tried.includes(backend)),
        budgetFree: this.budget.active < this.budget.limit(options),
        options,
      },
      this.options.random,
    );
    const counter = this.options.counter;
    if (decision.retry) {
      if (!notSent) exchange.holdsRetrySlot = this.budget.tryAcquire(options);
      counter.retried(reason);
      exchange.backoff = waitAtLeast(decision.waitMs, this.options.now, () => this.resend(exchange));
      return true;
    }
    if (decision.skipped !== undefined) counter.retrySkipped(decision.skipped);
    if (decision.budget !== true) return false;
    if (reason === 'marked_down' || reason === 'connect_error') {
      this.waiting.push({ exchange, reason });
      return true;
    }
    counter.retryRefused();
    const req = exchange.req;
    this.options.onRetryBudgetRefused(`retry of ${req.method ?? 'GET'} ${req.url ?? '/'} after ${failure} refused: ${this.budget.describe(options)}`);
    return false;
  }

  /** A retried attempt settled: its budget slot frees, and a waiting request may take it. */
  settled(): void {
    this.budget.release();
    const options = this.options.settings();
    while (this.waiting.length > 0 && this.budget.active < this.budget.limit(options)) {
      const { exchange, reason } = this.waiting.shift() as { exchange: Exchange; reason: RetryReason };
      if (exchange.res.destroyed) continue;
      exchange.holdsRetrySlot = this.budget.tryAcquire(options);
      this.options.counter.retried(reason);
      exchange.backoff = waitAtLeast(fullJitterFor(options, exchange.tries, this.options.random), this.options.now, () => this.resend(exchange));
    }
  }

  /** The requests still waiting for a budget slot (on close). */
  drainWaiting(): Exchange[] {
    return this.waiting.splice(0).map((waiting) => waiting.exchange);
  }

  /** After the backoff: sends the request to a server it has not tried. */
  private resend(exchange: Exchange): void {
    exchange.backoff = undefined;
    if (exchange.res.destroyed) {
      exchange.releaseRetrySlot();
      return;
    }
    const healthy = this.options.pool.healthy();
    const target =
      this.options.closing() || healthy.length === 0 ? undefined : retryTarget(healthy, exchange.tried ?? [], this.options.pick(exchange, healthy));
    if (target === undefined) {
      exchange.releaseRetrySlot();
      const tried = (exchange.tried ?? []).map((b) => b.name).join(', ');
      exchange.fail(502, `no other healthy server to retry on after ${(exchange.failures ?? []).join(', ')} (tried ${tried})`, 'upstream_failed');
      return;
    }
    this.options.dispatch(exchange, target);
  }
}
