// Outcome counting of the data path: every answer, failure, abort and
// cancellation lands here once, in the server's counters, the passive health
// listener and the Prometheus metrics; and the balancer's own failure answers
// (JSON 502/503/504) are counted and sent from here.
import type { ServerResponse } from 'node:http';

import type { ResilienceStats } from '../api-types.js';
import type { Backend } from '../upstreams/backend.js';
import {
  NO_SERVER,
  type BalancerMetrics,
  type FailureReason,
  type FanoutAttemptResult,
  type FanoutOutcome,
  type RetryReason,
  type RetrySkipReason,
  type ServerMetrics,
} from '../metrics/metrics.js';
import { sendFailure } from './json-response.js';
import { describeNames, firstListed } from '../config/describe-names.js';

/** Passive health: told about every answer and failure of real traffic. */
export interface OutcomeListener {
  success(backend: Backend): void;
  /** `status 503`, `ECONNREFUSED`, `timeout after 10000 ms`. */
  failure(backend: Backend, reason: string): void;
}

export interface DataPathTotals {
  readonly requests: number;
  readonly errors: number;
  readonly inFlight: number;
}

export class OutcomeCounter {
  requests = 0;
  /** Client requests in progress (the retry budget is a share of them). */
  inFlight = 0;
  private errors = 0;
  private retriesSent = 0;
  private retryRefusals = 0;
  private fanoutSuccesses = 0;
  private fanoutFailures = 0;
  private fanoutRounds = 0;
  private readonly noServer: ServerMetrics;

  constructor(
    private readonly metrics: BalancerMetrics,
    private readonly outcomes: OutcomeListener,
  ) {
    this.noServer = metrics.forServer(NO_SERVER);
  }

  /** The `route` label of a request target. */
  route(url: string | undefined): string {
    return this.metrics.route(url ?? '/');
  }

  /**
   * An answer of `backend`. `final`: it goes to the client (a 5xx is then a
   * client-visible error); else it was retried elsewhere or was one attempt
   * of a fan-out.
   */
  response(backend: Backend, status: number, route: string, final: boolean): void {
    if (status < 500) {
      backend.successes++;
      this.outcomes.success(backend);
    } else {
      backend.errors++;
      if (final) this.errors++;
      this.outcomes.failure(backend, `status ${status}`);
    }
    backend.metrics.countResponse(status, route);
  }

  /**
   * An attempt of `backend` failed before an answer (connection error, reset,
   * timeout, server marked down). `passive`: false when the failure says
   * nothing new about the server (a fan-out deadline cut it, or its checks
   * already took it down), so passive ejection does not hear of it.
   */
  serverFailed(backend: Backend, reason: string, passive = true): void {
    backend.errors++;
    if (passive) this.outcomes.failure(backend, reason);
  }

  /** Counts `status` for `backend` in the metrics only (a failed attempt retried elsewhere shows as its 502). */
  countStatus(backend: Backend, status: number, route: string): void {
    backend.metrics.countResponse(status, route);
  }

  /** serverFailed and countStatus together: a failed fan-out attempt. */
  attemptFailed(backend: Backend, reason: string, status: number, route: string, passive = true): void {
    this.serverFailed(backend, reason, passive);
    backend.metrics.countResponse(status, route);
  }

  /** A request its client abandoned before the answer: an error of its server. */
  aborted(backend: Backend | undefined, route: string): void {
    this.errors++;
    if (backend === undefined) return;
    backend.errors++;
    backend.metrics.countAborted(route);
  }

  /** A fan-out attempt cancelled because another server answered first. */
  cancelled(backend: Backend, route: string): void {
    backend.metrics.countCancelled(route);
  }

  /** Answers with a balancer failure (JSON) and counts it, for `backend` when one is to blame. */
  answerFailure(
    res: ServerResponse,
    route: string,
    status: number,
    message: string,
    reason: FailureReason,
    extra?: Record<string, unknown>,
    backend?: Backend,
  ): void {
    this.errors++;
    this.metrics.failure(reason);
    (backend?.metrics ?? this.noServer).countResponse(status, route);
    if (!res.destroyed) sendFailure(res, status, message, extra);
  }

  /** 503 JSON naming a few registered servers and their health, with the count (bodies stay small however large the pool). */
  answerNoHealthyServer(res: ServerResponse, route: string, all: readonly Backend[]): void {
    const servers = firstListed(all).map((b) => ({ name: b.name, health: b.health }));
    const message =
      all.length === 0
        ? 'no healthy server: no servers are registered'
        : `no healthy server: ${describeNames(all.map((b) => `${b.name} ${b.health}`))}`;
    const count = all.length > servers.length ? { serverCount: all.length } : {};
    this.answerFailure(res, route, 503, message, 'no_healthy_server', { servers, ...count });
  }

  retried(reason: RetryReason): void {
    this.retriesSent++;
    this.metrics.retried(reason);
  }

  retrySkipped(reason: RetrySkipReason): void {
    this.metrics.retrySkipped(reason);
  }

  retryRefused(): void {
    this.retryRefusals++;
    this.metrics.retryBudgetRefused();
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

  totals(): DataPathTotals {
    return { requests: this.requests, errors: this.errors, inFlight: this.inFlight };
  }

  resilience(retriesActive: number, ejections: number): ResilienceStats {
    return {
      retries: this.retriesSent,
      retryBudgetRefusals: this.retryRefusals,
      retriesActive,
      fanoutSuccesses: this.fanoutSuccesses,
      fanoutFailures: this.fanoutFailures,
      fanoutRounds: this.fanoutRounds,
      ejections,
    };
  }
}
