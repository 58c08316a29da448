// One client request and its way through the balancer: the upstream
// attempt(s), retries on another server, the answer. It reports back to the
// data path only through ExchangeHost. Listeners are shared functions that
// find their Exchange on the emitter, so the hot path creates no closures.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

import type { QueueTicket } from './admission-queue.js';
import type { Backend, Session } from '../upstreams/backend.js';
import type { Fanout } from './fanout.js';
import { hashKey } from './hash-key.js';
import { endToEndHeaderList, hasHeader, type RawHeaders } from './hop-by-hop.js';
import type { FailureReason, RetryReason } from '../metrics/metrics.js';
import type { OutcomeCounter } from './outcome-counter.js';
import type { AttemptFailure, AttemptListener, UpstreamAttempt } from './upstream-attempt.js';

/** What an Exchange needs from the data path. */
export interface ExchangeHost {
  readonly upstreamTimeoutMs: number;
  /** Query parameter that holds the hash key. */
  readonly hashKeyParam: string;
  readonly counter: OutcomeCounter;
  /**
   * Sends the exchange to another server after a backoff when the retry
   * policy allows it; false when it does not (the caller answers the client).
   * `notSent`: the failed attempt never reached its server.
   */
  retry(exchange: Exchange, reason: RetryReason, failure: string, notSent: boolean): boolean;
  /** The retried attempt this exchange held a budget slot for has settled. */
  retrySettled(): void;
  /** A server slot was freed: a waiting request may take it. */
  slotFreed(): void;
  clientClosed(exchange: Exchange): void;
}

const EXCHANGE = Symbol('lblab.exchange');
type TaggedResponse = ServerResponse & { [EXCHANGE]: Exchange };

export class Exchange implements AttemptListener, Session {
  backend: Backend | undefined;
  attempt: UpstreamAttempt | undefined;
  ticket: QueueTicket | undefined;
  slotHeld = false;
  /** What is sent upstream: the client's stream, a held copy (replayable), or nothing. */
  body: Readable | Buffer | undefined;
  /** May be retried on another server (idempotent method or retry route, body replayable). */
  retryable = false;
  /** Would have been retryable, but the body was too large to hold. */
  bodyStreamed = false;
  /** Attempts sent so far. */
  tries = 0;
  /** Attempts that never reached their server (they use up no retry). */
  notSentTries = 0;
  /** Servers that failed this request, in order (allocated on the first failure). */
  tried: Backend[] | undefined;
  /** `server1 ECONNREFUSED`, `server2 status 503`: failures that were retried (allocated on the first retry). */
  failures: string[] | undefined;
  /** Holds a slot of the retry budget (from the decision to retry until that attempt settles). */
  holdsRetrySlot = false;
  /** The wait before a retry. */
  backoff: { cancel(): void } | undefined;
  fanout: Fanout | undefined;
  private hashKey: string | undefined;

  constructor(
    readonly host: ExchangeHost,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    (res as TaggedResponse)[EXCHANGE] = this;
    res.on('close', onClientClose);
  }

  /** The hash key (see hashKey), worked out when an algorithm first reads it: most read none. */
  get key(): string {
    this.hashKey ??= hashKey(this.req.url ?? '/', this.host.hashKeyParam, this.req.socket.remoteAddress);
    return this.hashKey;
  }

  get retries(): number {
    return this.tries > 1 ? this.tries - 1 : 0;
  }

  onUpstreamResponse(attempt: UpstreamAttempt, status: number, headers: RawHeaders, statusMessage: string): void {
    const backend = attempt.backend;
    const counter = this.host.counter;
    this.releaseRetrySlot();
    if ((status === 502 || status === 503) && (this.retryable || this.bodyStreamed)) {
      const detail = `${backend.name} status ${status}`;
      (this.tried ??= []).push(backend);
      if (this.host.retry(this, status === 502 ? 'status_502' : 'status_503', detail, false)) {
        counter.response(backend, status, counter.route(this.req.url), false);
        (this.failures ??= []).push(detail);
        this.attempt = undefined;
        // The body is read and dropped, so the connection can serve again.
        this.releaseSlot();
        return;
      }
    }
    counter.response(backend, status, counter.route(this.req.url), true);
    const res = this.res;
    if (res.destroyed) {
      attempt.abort();
      this.releaseSlot();
      return;
    }
    const list = endToEndHeaderList(headers);
    if (!hasHeader(list, 'x-server-id')) list.push('x-server-id', backend.name);
    if (this.tries > 1) list.push('x-lblab-retries', String(this.tries - 1));
    res.writeHead(status, statusMessage === '' ? undefined : statusMessage, list);
    attempt.forwardTo(res);
  }

  onUpstreamEnd(attempt: UpstreamAttempt, complete: boolean): void {
    if (complete) attempt.backend.recordLatency(performance.now() - attempt.startedAt);
    // The server went away mid-body: cut the client's response short too, so it does not look complete.
    else if (!this.res.destroyed) this.res.destroy();
    this.releaseSlot();
  }

  onUpstreamFailure(attempt: UpstreamAttempt, failure: AttemptFailure, error: Error): void {
    const backend = attempt.backend;
    const counter = this.host.counter;
    this.releaseRetrySlot();
    this.releaseSlot();
    if (failure === 'timeout') {
      counter.serverFailed(backend, `timeout after ${this.host.upstreamTimeoutMs} ms`);
      this.fail(504, `upstream ${backend.name} did not respond within ${this.host.upstreamTimeoutMs} ms`, 'upstream_timeout', backend);
      return;
    }
    const markedDown = failure === 'marked-down';
    const code = markedDown ? 'marked down' : ((error as NodeJS.ErrnoException).code ?? error.message);
    const notSent = !attempt.sent && this.replayable(attempt);
    counter.serverFailed(backend, code, !markedDown);
    (this.tried ??= []).push(backend);
    if (notSent) this.notSentTries++;
    if (this.host.retry(this, markedDown ? 'marked_down' : 'connect_error', `${backend.name} ${code}`, notSent)) {
      counter.countStatus(backend, 502, counter.route(this.req.url));
      (this.failures ??= []).push(`${backend.name} ${code}`);
      this.attempt = undefined;
      return;
    }
    const errorCode = (error as NodeJS.ErrnoException).code;
    const detail = errorCode === undefined || error.message.includes(errorCode) ? error.message : `${errorCode} (${error.message})`;
    this.fail(
      502,
      markedDown
        ? `upstream ${backend.name} was marked down while the request was in flight (${error.message})`
        : `upstream ${backend.name} failed before responding: ${detail}`,
      'upstream_failed',
      backend,
    );
  }

  /**
   * Session: its server was marked down. A request waiting for the answer
   * fails now (and is retried or answered 502); an answer being streamed is
   * cut, as when the server goes away mid-body.
   */
  shutdown(reason: string): void {
    const attempt = this.attempt;
    if (attempt === undefined) return;
    if (attempt.state === 'pending') {
      attempt.abort();
      this.onUpstreamFailure(attempt, 'marked-down', new Error(reason));
    } else if (attempt.state === 'response') {
      attempt.abort();
      if (!this.res.destroyed) this.res.destroy();
      this.releaseSlot();
    }
  }

  /** Answers with a balancer failure (JSON, listing the retried failures) and counts it. */
  fail(status: number, message: string, reason: FailureReason, backend?: Backend): void {
    const retries = this.retries;
    if (retries > 0 && !this.res.headersSent) this.res.setHeader('x-lblab-retries', String(retries));
    this.host.counter.answerFailure(
      this.res,
      this.host.counter.route(this.req.url),
      status,
      message,
      reason,
      {
        ...(backend === undefined ? {} : { server: backend.name }),
        ...(retries > 0 ? { retries, retried: this.failures ?? [] } : {}),
      },
      backend,
    );
  }

  /** Gives the server's in-flight slot back, once, and lets a waiting request have it. */
  releaseSlot(): void {
    if (!this.slotHeld) return;
    this.slotHeld = false;
    const backend = this.backend as Backend;
    backend.sessions.delete(this);
    backend.release();
    this.host.slotFreed();
  }

  releaseRetrySlot(): void {
    if (!this.holdsRetrySlot) return;
    this.holdsRetrySlot = false;
    this.host.retrySettled();
  }

  /** The body can be sent again: none, held, or a stream the failed attempt never started reading. */
  private replayable(attempt: UpstreamAttempt): boolean {
    return this.body === undefined || Buffer.isBuffer(this.body) || !attempt.bodyStarted;
  }
}

function onClientClose(this: TaggedResponse): void {
  const exchange = this[EXCHANGE];
  exchange.host.clientClosed(exchange);
  if (exchange.fanout !== undefined) {
    exchange.fanout.clientClosed();
    return;
  }
  if (exchange.backoff !== undefined) {
    exchange.backoff.cancel();
    exchange.backoff = undefined;
  }
  exchange.releaseRetrySlot();
  if (this.writableFinished) return;
  const attempt = exchange.attempt;
  if (attempt === undefined) return;
  if (attempt.state === 'pending') exchange.host.counter.aborted(exchange.backend, exchange.host.counter.route(exchange.req.url));
  attempt.abort();
  exchange.releaseSlot();
}
