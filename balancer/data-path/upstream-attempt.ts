// One attempt to forward a request to one server: the single step that a
// retry loop or a POST fan-out can run several times. It is the undici
// dispatch handler of the request: it reports the response headers or a
// failure before them to its listener, and, once told where, writes the
// response body straight to the client's response with backpressure.
// Choosing the server, counting and answering the client are the caller's.
//
// It implements undici's handler interface with raw headers (onConnect,
// onHeaders, onData, onComplete, onError), which undici's core calls as it
// is: the controller interface would cost a wrapper, a controller and a
// parsed header object per request.
import type { ServerResponse } from 'node:http';
import type { Duplex, Readable } from 'node:stream';

import type { Dispatcher } from 'undici';

import type { Backend } from '../upstreams/backend.js';
import type { HeaderList, RawHeaders } from './hop-by-hop.js';
import { LazyBody } from './lazy-body.js';

/**
 * `connect`: the connection failed or was reset before a response; `timeout`:
 * no response headers in time; `marked-down`: the health checks took the
 * server down while the attempt waited (its listener aborted it).
 */
export type AttemptFailure = 'connect' | 'timeout' | 'marked-down';

export interface AttemptListener {
  /**
   * The response headers arrived. The listener either calls `forwardTo()`,
   * or leaves the body to be read and dropped (the connection stays usable).
   */
  onUpstreamResponse(attempt: UpstreamAttempt, status: number, headers: RawHeaders, statusMessage: string): void;
  onUpstreamFailure(attempt: UpstreamAttempt, failure: AttemptFailure, error: Error): void;
  /** The body given to `forwardTo()` ended: whole (`complete`), or cut off by the server or the connection. */
  onUpstreamEnd(attempt: UpstreamAttempt, complete: boolean): void;
}

export interface ForwardOptions {
  readonly method: string;
  /** Request target as received (`/home?id=1`); the server's base path is prepended. */
  readonly path: string;
  readonly headers: HeaderList;
  /** Time allowed until the response headers arrive. */
  readonly timeoutMs: number;
  /** The client's request stream (streamed, not buffered), a buffer (replayable), or no body. */
  readonly body: Readable | Buffer | undefined;
}

/** `response`: headers received, body flowing; `done`: body ended (or the attempt was told to drop it). */
export type AttemptState = 'pending' | 'response' | 'done' | 'failed' | 'aborted';

type AbortRequest = (reason: Error) => void;

export class UpstreamAttempt implements Dispatcher.DispatchHandler {
  state: AttemptState = 'pending';
  readonly startedAt: number;
  /** undici's way to stop this request, given once it is being written to a connection. */
  private abortRequest: AbortRequest | undefined;
  /** undici's way to read on after onData returned false. */
  private resumeReading: (() => void) | undefined;
  private sink: ServerResponse | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set while `dispatch()` runs: undici reports invalid requests synchronously, through onResponseError. */
  private dispatching = true;
  private rejected: Error | undefined;
  private resumeOnDrain: (() => void) | undefined;
  private readonly lazyBody: LazyBody | undefined;

  constructor(
    readonly backend: Backend,
    options: ForwardOptions,
    private readonly listener: AttemptListener,
  ) {
    this.startedAt = performance.now();
    const path = options.path.charCodeAt(0) === 47 /* / */ ? options.path : originFormOf(options.path);
    const body = options.body;
    this.lazyBody = body === undefined || Buffer.isBuffer(body) ? undefined : new LazyBody(body);
    backend.connections.dispatch(
      {
        method: options.method,
        path: backend.basePath + path,
        headers: options.headers,
        body: this.lazyBody ?? (body as Buffer | undefined),
      },
      this,
    );
    this.dispatching = false;
    if (this.rejected !== undefined) throw this.rejected;
    this.timer = setTimeout(onTimeout, options.timeoutMs, this, options.timeoutMs);
  }

  /** undici began writing the request to a connected socket (before that, no byte reached the server). */
  get sent(): boolean {
    return this.abortRequest !== undefined;
  }

  /** Some of a streamed request body was read for this attempt (it cannot be sent again). */
  get bodyStarted(): boolean {
    return this.lazyBody?.started ?? false;
  }

  /**
   * Streams the response body to `res` (whose head the caller has written)
   * and ends it; `onUpstreamEnd` follows. Call from `onUpstreamResponse`.
   */
  forwardTo(res: ServerResponse): void {
    this.sink = res;
  }

  /** Stops the attempt (the client left, or another attempt won): closes its upstream connection. */
  abort(): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'aborted') return;
    this.state = 'aborted';
    clearTimeout(this.timer);
    // Not yet sent, the request is still waiting for a connection; onConnect ends it.
    this.abortRequest?.(new Error('aborted by the balancer'));
  }

  // Dispatch handler (undici)

  onConnect(abort: AbortRequest): void {
    if (this.state !== 'pending') abort(new Error(`attempt ${this.state} before it was sent`));
    else this.abortRequest = abort;
  }

  /** Returns false to pause reading (backpressure). */
  onHeaders(statusCode: number, headers: RawHeaders, resume: () => void, statusMessage?: string): boolean {
    // 1xx informational answers are not passed on (node:http did not either); the final one follows.
    if (statusCode < 200 || this.state !== 'pending') return true;
    this.state = 'response';
    this.resumeReading = resume;
    clearTimeout(this.timer);
    this.listener.onUpstreamResponse(this, statusCode, headers, statusMessage ?? '');
    return true;
  }

  /** Returns false to pause reading until the client's response drains. */
  onData(chunk: Buffer): boolean {
    const sink = this.sink;
    if (sink === undefined || this.state !== 'response' || sink.write(chunk)) return true;
    this.resumeOnDrain ??= () => {
      if (this.state === 'response') this.resumeReading?.();
    };
    sink.once('drain', this.resumeOnDrain);
    return false;
  }

  onComplete(): void {
    if (this.state !== 'response') return;
    this.state = 'done';
    const sink = this.sink;
    if (sink === undefined) return;
    sink.end();
    this.listener.onUpstreamEnd(this, true);
  }

  onError(error: Error): void {
    if (this.dispatching) {
      this.state = 'failed';
      this.rejected = error;
      return;
    }
    if (this.state === 'pending') {
      this.fail('connect', connectionError(error));
      return;
    }
    if (this.state !== 'response') return;
    this.state = 'done';
    if (this.sink !== undefined) this.listener.onUpstreamEnd(this, false);
  }

  /** A protocol switch (CONNECT, 101) is not proxied: the connection is closed and the attempt fails. */
  onUpgrade(_statusCode: number, _headers: RawHeaders | null, socket: Duplex): void {
    socket.destroy();
    this.fail('connect', new Error('the server switched protocols, which the balancer does not proxy'));
  }

  /** @internal */
  fail(failure: AttemptFailure, error: Error): void {
    if (this.state !== 'pending') return;
    this.state = 'failed';
    clearTimeout(this.timer);
    if (failure === 'timeout') this.abortRequest?.(error);
    this.listener.onUpstreamFailure(this, failure, error);
  }
}

/** Starts forwarding to `backend`; the listener hears of the response headers or a failure. Throws on a request undici refuses. */
export function forwardOnce(backend: Backend, options: ForwardOptions, listener: AttemptListener): UpstreamAttempt {
  return new UpstreamAttempt(backend, options, listener);
}

function onTimeout(attempt: UpstreamAttempt, timeoutMs: number): void {
  attempt.fail('timeout', new Error(`no response within ${timeoutMs} ms`));
}

/**
 * undici's error for a connection closed before the response, with the code
 * node:http gave it (`ECONNRESET`), which is what the failure messages,
 * events and fan-out records show.
 */
function connectionError(error: Error): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'UND_ERR_SOCKET') return withCode(new Error('connection closed before the response', { cause: error }), 'ECONNRESET');
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return withCode(new Error('connect timeout', { cause: error }), 'ETIMEDOUT');
  return error;
}

function withCode(error: Error, code: string): Error {
  (error as NodeJS.ErrnoException).code = code;
  return error;
}

/** `http://host/a?b` (absolute-form, as sent to proxies) → `/a?b`. */
function originFormOf(target: string): string {
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return '/';
  }
}
