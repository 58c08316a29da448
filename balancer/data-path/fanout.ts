// POST fan-out: one client request sent to every healthy server (or N of
// them) at once. The first 2xx answer is streamed to the client and the other
// attempts are cancelled. When every healthy server has answered a 4xx, the
// request itself is refused: the client gets one of those answers at once.
// Otherwise, when a round brings no 2xx, the next round starts after a real
// wait (exponential backoff with full jitter), until the deadline; then the
// client gets 502 JSON listing every attempt.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { fullJitterMs, waitAtLeast } from './backoff.js';
import type { Backend, Session } from '../upstreams/backend.js';
import { readBodyUpTo } from './body-buffer.js';
import type { FanoutOptions } from '../config/config.js';
import { forwardedRequestHeaders } from './forwarded-headers.js';
import { endToEndHeaderList, hasHeader, type HeaderList, type RawHeaders } from './hop-by-hop.js';
import type { FanoutAttemptResult, FanoutOutcome } from '../metrics/metrics.js';
import type { OutcomeCounter } from './outcome-counter.js';
import { forwardOnce, type AttemptFailure, type AttemptListener, type UpstreamAttempt } from './upstream-attempt.js';

/** Attempts listed in a 502 body; more are counted in `attemptsOmitted`. */
export const MAX_LISTED_ATTEMPTS = 1_000;

export interface FanoutAttemptRecord {
  readonly server: string;
  /** 1 for the first round. */
  readonly round: number;
  /** The server's status, when it answered. */
  status?: number;
  /** `ECONNREFUSED`, `timeout after 10000 ms`, `cancelled` (another server answered first), `deadline`. */
  error?: string;
  /** Start of the attempt, ms after the request arrived. */
  readonly atMs: number;
  durationMs: number;
}

/** What a fan-out needs from the data path. */
export interface FanoutHost {
  readonly upstreamTimeoutMs: number;
  /** Uniform in [0, 1) (the injected random source). */
  readonly random: () => number;
  /** Monotonic ms (the injected clock). */
  readonly now: () => number;
  /** Counts answers, failures and cancellations, and answers with balancer failures. */
  readonly counter: OutcomeCounter;
  /** The servers of this round, in order (all healthy ones, or N of them). */
  chooseServers(count: 'all' | number): readonly Backend[];
  /** Lets waiting requests have a freed slot. */
  slotFreed(): void;
}

/** An attempt in flight; a Session of its server, cut when the server is marked down. */
interface Pending extends Session {
  readonly backend: Backend;
  readonly record: FanoutAttemptRecord;
  readonly startedAt: number;
  /** The attempt's timeout is the rest of the deadline (shorter than upstreamTimeoutMs). */
  readonly cutByDeadline: boolean;
}

export class Fanout implements AttemptListener {
  private readonly startedAt: number;
  private readonly deadlineAt: number;
  private readonly route: string;
  private body: Buffer | undefined;
  private headers: HeaderList | undefined;
  private round = 0;
  private readonly records: FanoutAttemptRecord[] = [];
  private omitted = 0;
  private readonly waitsMs: number[] = [];
  private readonly pending = new Map<UpstreamAttempt, Pending>();
  private wait: { cancel(): void } | undefined;
  private winner: { attempt: UpstreamAttempt; backend: Backend; startedAt: number } | undefined;
  private finished = false;
  /** Servers that answered this request with a 4xx (a refusal is not retried on them). */
  private readonly refusedBy = new Set<Backend>();
  /** Set while a round's attempts are being sent. */
  private starting = false;

  constructor(
    private readonly host: FanoutHost,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly options: FanoutOptions,
    route: string,
  ) {
    this.startedAt = host.now();
    this.deadlineAt = this.startedAt + options.deadlineMs;
    this.route = route;
  }

  /** Reads the body (once, bounded), then starts the first round. */
  start(): void {
    void readBodyUpTo(this.req, this.options.maxBodyBytes).then((read) => {
      if (this.finished) return;
      if (read.kind === 'aborted') {
        this.finish('aborted');
        return;
      }
      if (read.kind === 'too-large') {
        this.finished = true;
        this.res.setHeader('connection', 'close');
        this.host.counter.answerFailure(
          this.res,
          this.route,
          413,
          `request body is larger than ${this.options.maxBodyBytes} bytes, the fan-out limit (fanout.maxBodyBytes)`,
          'body_too_large',
        );
        return;
      }
      this.body = read.body;
      // A chunked body is sent with its length now that it is held.
      this.headers = forwardedRequestHeaders(this.req);
      this.startRound();
    });
  }

  /** The client went away: cancels everything. */
  clientClosed(): void {
    if (this.res.writableFinished) return;
    this.wait?.cancel();
    this.wait = undefined;
    this.cancelPending('cancelled');
    const winner = this.winner;
    if (winner !== undefined && winner.attempt.state === 'response') {
      winner.attempt.abort();
      this.release(winner.backend);
    }
    if (!this.finished) this.finish('aborted');
  }

  onUpstreamResponse(attempt: UpstreamAttempt, status: number, headers: RawHeaders, statusMessage: string): void {
    const entry = this.pending.get(attempt);
    if (entry === undefined) {
      attempt.abort();
      return;
    }
    this.forget(attempt, entry);
    entry.record.status = status;
    entry.record.durationMs = this.elapsedSince(entry.startedAt);
    this.host.counter.response(entry.backend, status, this.route, false);
    this.host.counter.fanoutAttempt(entry.backend, statusResult(status));
    if (status >= 200 && status < 300 && !this.finished) {
      this.win(attempt, entry, status, headers, statusMessage, 'success');
      return;
    }
    // A 4xx is the server's answer to the request itself: once every healthy server has refused it, the
    // last refusal goes to the client at once (rounds and backoff are for 5xx, timeouts and connection failures).
    if (status >= 400 && status < 500) {
      this.refusedBy.add(entry.backend);
      if (this.pending.size === 0 && !this.starting && !this.finished && this.everyServerRefused()) {
        this.win(attempt, entry, status, headers, statusMessage, 'rejected');
        return;
      }
    }
    // The body is read and dropped, so the connection can serve again.
    this.release(entry.backend);
    this.afterSettled();
  }

  onUpstreamEnd(attempt: UpstreamAttempt, complete: boolean): void {
    const winner = this.winner;
    if (winner === undefined || winner.attempt !== attempt) return;
    if (complete) winner.backend.recordLatency(this.host.now() - winner.startedAt);
    else if (!this.res.destroyed) this.res.destroy();
    this.release(winner.backend);
  }

  onUpstreamFailure(attempt: UpstreamAttempt, failure: AttemptFailure, error: Error): void {
    const entry = this.pending.get(attempt);
    if (entry === undefined) return;
    this.forget(attempt, entry);
    const cut = failure === 'timeout' && entry.cutByDeadline;
    const reason = cut ? 'deadline' : failure === 'timeout' ? error.message : failure === 'marked-down' ? 'marked down' : errorCode(error);
    entry.record.error = reason;
    entry.record.durationMs = this.elapsedSince(entry.startedAt);
    this.host.counter.attemptFailed(entry.backend, reason, failure === 'timeout' ? 504 : 502, this.route, !cut && failure !== 'marked-down');
    this.host.counter.fanoutAttempt(entry.backend, failure === 'timeout' ? 'timeout' : 'error');
    this.release(entry.backend);
    this.afterSettled();
  }

  private startRound(): void {
    this.wait = undefined;
    if (this.finished) return;
    const remainingMs = this.deadlineAt - this.host.now();
    if (remainingMs <= 0) {
      this.giveUp();
      return;
    }
    this.round++;
    this.starting = true;
    const timeoutMs = Math.max(1, Math.min(this.host.upstreamTimeoutMs, Math.ceil(remainingMs)));
    const cutByDeadline = timeoutMs < this.host.upstreamTimeoutMs;
    for (const backend of this.host.chooseServers(this.options.servers)) {
      const startedAt = this.host.now();
      const record: FanoutAttemptRecord = { server: backend.name, round: this.round, atMs: round3(startedAt - this.startedAt), durationMs: 0 };
      this.keep(record);
      backend.acquire();
      let attempt: UpstreamAttempt;
      try {
        attempt = forwardOnce(
          backend,
          { method: this.req.method ?? 'POST', path: this.req.url ?? '/', headers: this.headers ?? [], timeoutMs, body: this.body },
          this,
        );
      } catch (error) {
        record.error = errorCode(error as Error);
        this.host.counter.attemptFailed(backend, record.error, 502, this.route);
        this.host.counter.fanoutAttempt(backend, 'error');
        this.release(backend);
        continue;
      }
      // A failure reported synchronously has already settled; only pending attempts are tracked.
      if (attempt.state === 'pending') {
        const entry: Pending = { backend, record, startedAt, cutByDeadline, shutdown: (reason) => this.shutdownAttempt(attempt, reason) };
        this.pending.set(attempt, entry);
        backend.sessions.add(entry);
      }
    }
    this.starting = false;
    this.afterSettled();
  }

  /** Starts the wait before the next round once every attempt of this one has settled without a 2xx. */
  private afterSettled(): void {
    if (this.finished || this.pending.size > 0 || this.wait !== undefined || this.round === 0) return;
    const remainingMs = this.deadlineAt - this.host.now();
    if (remainingMs <= 0) {
      this.giveUp();
      return;
    }
    const waitMs = Math.min(fullJitterMs(this.host.random, this.options.baseMs, this.options.capMs, this.round - 1), Math.ceil(remainingMs));
    this.waitsMs.push(waitMs);
    this.host.counter.fanoutWait(waitMs);
    this.wait = waitAtLeast(waitMs, this.host.now, () => this.startRound());
  }

  /** Streams this answer to the client: the first 2xx (`success`), or the last 4xx of a round of 4xx (`rejected`). */
  private win(
    attempt: UpstreamAttempt,
    entry: Pending,
    status: number,
    headers: RawHeaders,
    statusMessage: string,
    outcome: 'success' | 'rejected',
  ): void {
    this.finished = true;
    this.cancelPending('cancelled');
    this.winner = { attempt, backend: entry.backend, startedAt: entry.startedAt };
    this.host.counter.fanoutFinished(outcome, this.round);
    if (this.res.destroyed) {
      attempt.abort();
      this.release(entry.backend);
      return;
    }
    const list = endToEndHeaderList(headers);
    if (!hasHeader(list, 'x-server-id')) list.push('x-server-id', entry.backend.name);
    list.push('x-lblab-fanout-rounds', String(this.round), 'x-lblab-fanout-attempts', String(this.records.length + this.omitted));
    this.res.writeHead(status, statusMessage === '' ? undefined : statusMessage, list);
    attempt.forwardTo(this.res);
  }

  private cancelPending(error: 'cancelled'): void {
    for (const [attempt, entry] of this.pending) {
      attempt.abort();
      entry.backend.sessions.delete(entry);
      entry.record.error = error;
      entry.record.durationMs = this.elapsedSince(entry.startedAt);
      this.host.counter.cancelled(entry.backend, this.route);
      this.release(entry.backend);
    }
    this.pending.clear();
  }

  /** The attempt's server was marked down: it fails now, and the round goes on without it. */
  private shutdownAttempt(attempt: UpstreamAttempt, reason: string): void {
    if (!this.pending.has(attempt)) return;
    attempt.abort();
    this.onUpstreamFailure(attempt, 'marked-down', new Error(reason));
  }

  private everyServerRefused(): boolean {
    const healthy = this.host.chooseServers('all');
    return healthy.length > 0 && healthy.every((backend) => this.refusedBy.has(backend));
  }

  private forget(attempt: UpstreamAttempt, entry: Pending): void {
    this.pending.delete(attempt);
    entry.backend.sessions.delete(entry);
  }

  private giveUp(): void {
    this.finish('failure');
    const attempts = this.records.length + this.omitted;
    const elapsedMs = this.elapsedSince(this.startedAt);
    if (!this.res.headersSent) {
      this.res.setHeader('x-lblab-fanout-rounds', String(this.round));
      this.res.setHeader('x-lblab-fanout-attempts', String(attempts));
    }
    if (attempts === 0) {
      this.host.counter.answerFailure(
        this.res,
        this.route,
        503,
        `no healthy server for the fan-out of ${this.req.method ?? 'POST'} ${pathOf(this.req.url)} within ${this.options.deadlineMs} ms`,
        'no_healthy_server',
        { rounds: this.round, elapsedMs, attempts: [], waitsMs: this.waitsMs },
      );
      return;
    }
    this.host.counter.answerFailure(
      this.res,
      this.route,
      502,
      `no server answered ${this.req.method ?? 'POST'} ${pathOf(this.req.url)} with a 2xx within the fan-out deadline of ` +
        `${this.options.deadlineMs} ms (${plural(this.round, 'round')}, ${plural(attempts, 'attempt')})`,
      'fanout_deadline',
      {
        rounds: this.round,
        elapsedMs,
        attempts: this.records,
        ...(this.omitted === 0 ? {} : { attemptsOmitted: this.omitted }),
        waitsMs: this.waitsMs,
      },
    );
  }

  private finish(outcome: FanoutOutcome): void {
    this.finished = true;
    this.host.counter.fanoutFinished(outcome, this.round);
  }

  private keep(record: FanoutAttemptRecord): void {
    if (this.records.length < MAX_LISTED_ATTEMPTS) this.records.push(record);
    else this.omitted++;
  }

  private release(backend: Backend): void {
    backend.release();
    this.host.slotFreed();
  }

  private elapsedSince(startedAt: number): number {
    return round3(this.host.now() - startedAt);
  }
}

function statusResult(status: number): FanoutAttemptResult {
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return status >= 200 ? '2xx' : '5xx';
}

function errorCode(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}

function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
