// One client request and its way through the balancer: the upstream
// attempt(s), retries on another server, the answer. Listeners are shared
// functions that find their Exchange on the emitter, so the hot path creates
// no closures.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

import type { QueueTicket } from './admission-queue.js';
import type { Backend } from '../upstreams/backend.js';
import type { Fanout } from './fanout.js';
import { appendEndToEndHeaders, type ParsedHeaders } from './hop-by-hop.js';
import type { Proxy } from './data-path.js';
import type { AttemptFailure, AttemptListener, UpstreamAttempt } from './upstream-attempt.js';

const EXCHANGE = Symbol('lblab.exchange');
type TaggedResponse = ServerResponse & { [EXCHANGE]: Exchange };

export class Exchange implements AttemptListener {
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
  /** Servers tried, in order (only kept for retryable requests; allocated on the first attempt). */
  tried: Backend[] | undefined;
  /** `server1 ECONNREFUSED`, `server2 status 503`: failures that were retried (allocated on the first retry). */
  failures: string[] | undefined;
  /** Holds a slot of the retry budget (from the decision to retry until that attempt settles). */
  holdsRetrySlot = false;
  /** The wait before a retry. */
  backoff: { cancel(): void } | undefined;
  fanout: Fanout | undefined;

  constructor(
    readonly proxy: Proxy,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly key: string,
  ) {
    (res as TaggedResponse)[EXCHANGE] = this;
    res.on('close', onClientClose);
  }

  get retries(): number {
    return this.tries > 1 ? this.tries - 1 : 0;
  }

  onUpstreamResponse(attempt: UpstreamAttempt, status: number, headers: ParsedHeaders, statusMessage: string): void {
    const backend = attempt.backend;
    this.releaseRetrySlot();
    if ((status === 502 || status === 503) && (this.retryable || this.bodyStreamed)) {
      const detail = `${backend.name} status ${status}`;
      if (this.proxy.retry(this, status === 502 ? 'status_502' : 'status_503', detail)) {
        this.proxy.countRetriedStatus(this, backend, status);
        (this.failures ??= []).push(detail);
        this.attempt = undefined;
        // The body is read and dropped, so the connection can serve again.
        this.releaseSlot();
        return;
      }
    }
    this.proxy.countResponse(this, backend, status);
    const res = this.res;
    if (res.destroyed) {
      attempt.abort();
      this.releaseSlot();
      return;
    }
    const list = appendEndToEndHeaders([], headers);
    if (headers['x-server-id'] === undefined) list.push('x-server-id', backend.name);
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
    this.releaseRetrySlot();
    this.releaseSlot();
    if (failure === 'timeout') {
      this.proxy.countFailure(backend, `timeout after ${this.proxy.upstreamTimeoutMs} ms`);
      this.proxy.fail(this, 504, `upstream ${backend.name} did not respond within ${this.proxy.upstreamTimeoutMs} ms`, 'upstream_timeout', backend);
      return;
    }
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === undefined || error.message.includes(code) ? error.message : `${code} (${error.message})`;
    this.proxy.countFailure(backend, code ?? error.message);
    if (this.proxy.retry(this, 'connect_error', `${backend.name} ${code ?? error.message}`)) {
      this.proxy.countRetriedFailure(this, backend);
      (this.failures ??= []).push(`${backend.name} ${code ?? error.message}`);
      this.attempt = undefined;
      return;
    }
    this.proxy.fail(this, 502, `upstream ${backend.name} failed before responding: ${detail}`, 'upstream_failed', backend);
  }

  /** Gives the server's in-flight slot back, once, and lets a waiting request have it. */
  releaseSlot(): void {
    if (!this.slotHeld) return;
    this.slotHeld = false;
    (this.backend as Backend).release();
    this.proxy.drainQueue();
  }

  releaseRetrySlot(): void {
    if (!this.holdsRetrySlot) return;
    this.holdsRetrySlot = false;
    this.proxy.budget.release();
  }
}

function onClientClose(this: TaggedResponse): void {
  const exchange = this[EXCHANGE];
  exchange.proxy.clientClosed(exchange);
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
  if (attempt.state === 'pending') exchange.proxy.countAbort(exchange);
  attempt.abort();
  exchange.releaseSlot();
}
