// The retry budget (as in Envoy): retries in progress may be at most
// budgetPercent % of the active requests, or minRetryConcurrency, whichever
// is more, so a failing lab cannot multiply its own load.
import type { RetryOptions } from '../config/config.js';

export type RetryBudgetLimits = Pick<RetryOptions, 'budgetPercent' | 'minRetryConcurrency'>;

export class RetryBudget {
  private activeRetries = 0;

  /** `activeRequests`: client requests in progress (each retry's own request included). */
  constructor(private readonly activeRequests: () => number) {}

  /** Retries in progress: from the decision to retry until the retried attempt has its answer or fails. */
  get active(): number {
    return this.activeRetries;
  }

  limit(limits: RetryBudgetLimits): number {
    return Math.max(limits.minRetryConcurrency, (limits.budgetPercent / 100) * this.activeRequests());
  }

  /** Takes a retry slot when one is free; pair with release(). */
  tryAcquire(limits: RetryBudgetLimits): boolean {
    if (this.activeRetries >= this.limit(limits)) return false;
    this.activeRetries++;
    return true;
  }

  release(): void {
    this.activeRetries--;
  }

  /** `4 retries in progress, limit 4 (20% of 20 active requests, minimum 3)`. */
  describe(limits: RetryBudgetLimits): string {
    const limit = this.limit(limits);
    return (
      `${this.activeRetries} ${this.activeRetries === 1 ? 'retry' : 'retries'} in progress, limit ${Math.round(limit * 100) / 100} ` +
      `(${limits.budgetPercent}% of ${this.activeRequests()} active requests, minimum ${limits.minRetryConcurrency})`
    );
  }
}
