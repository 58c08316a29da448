// The retry decision, apart from the forwarding (as fastify-reply-from's
// retryDelay): whether a failed attempt is sent again to another server, and
// after how long. Pure: the caller gathers the facts, this says what to do.
import type { RetryOptions } from '../config/config.js';
import { fullJitterMs } from './backoff.js';
import type { RetrySkipReason } from '../metrics/metrics.js';
import type { Backend } from '../upstreams/backend.js';

export interface RetryFacts {
  /** Idempotent method or retry route, with a replayable body. */
  readonly retryable: boolean;
  /** It would have been retryable, but its body was too large to hold. */
  readonly bodyStreamed: boolean;
  /**
   * The attempt failed before any byte of the request reached the server
   * (connection refused, connect timeout, marked down while connecting), and
   * its body can be sent again: safe to send elsewhere whatever the method.
   */
  readonly notSent: boolean;
  /** The client is gone or the balancer is closing. */
  readonly abandoned: boolean;
  /** Attempts sent so far (1 after the first). */
  readonly tries: number;
  /** Attempts of this request that never reached a server (they use no retry). */
  readonly notSentTries: number;
  readonly hasUntriedServer: boolean;
  /** The retry budget has a free slot. */
  readonly budgetFree: boolean;
  readonly options: RetryOptions;
}

export type RetryDecision =
  | { readonly retry: true; readonly waitMs: number }
  /** `skipped`: counted in lblab_retries_skipped_total; `budget`: a refusal of the retry budget; none: not a retry case at all. */
  | { readonly retry: false; readonly skipped?: RetrySkipReason; readonly budget?: true };

/**
 * Retryable requests are retried up to `options.count` times, within the
 * retry budget; a request whose attempt never reached its server is sent
 * elsewhere whatever its method, outside the budget and without using up
 * `count` (HAProxy's redispatch). Both go only to a server not tried yet,
 * after a full-jitter backoff drawn from `random`.
 */
export function decideRetry(facts: RetryFacts, random: () => number): RetryDecision {
  if (!facts.retryable && !facts.notSent) return facts.bodyStreamed ? { retry: false, skipped: 'body_not_replayable' } : { retry: false };
  if (facts.abandoned) return { retry: false };
  const counted = facts.tries - facts.notSentTries;
  if (!facts.notSent && counted > facts.options.count) return { retry: false, skipped: 'exhausted' };
  if (!facts.hasUntriedServer) return { retry: false, skipped: 'no_other_server' };
  // A request that never reached a server adds no load by going elsewhere: the budget is for real retries.
  if (!facts.budgetFree && !facts.notSent) return { retry: false, budget: true };
  return { retry: true, waitMs: fullJitterFor(facts.options, facts.tries, random) };
}

/** The backoff before the retry that follows attempt number `tries`. */
export function fullJitterFor(options: RetryOptions, tries: number, random: () => number): number {
  return fullJitterMs(random, options.baseMs, options.capMs, tries - 1);
}

/**
 * Where a retry goes: the algorithm's pick when it is a server not tried
 * yet; else the untried server with the fewest requests in flight (so
 * hashing algorithms keep their tables, and first-available its order).
 */
export function retryTarget(healthy: readonly Backend[], tried: readonly Backend[], picked: Backend | undefined): Backend | undefined {
  if (picked !== undefined && !tried.includes(picked)) return picked;
  let best: Backend | undefined;
  for (const backend of healthy) {
    if (tried.includes(backend)) continue;
    if (best === undefined || backend.inFlight < best.inFlight) best = backend;
  }
  return best;
}
