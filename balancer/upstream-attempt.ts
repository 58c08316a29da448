// One attempt to forward a request to one server: the single step that a
// retry loop or a POST fan-out can run several times. It reports the
// response headers or a failure before them to its listener; choosing the
// server, counting and answering the client are the caller's.
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

import type { Backend } from './backend.js';

/** `connect`: the connection failed or was reset before a response; `timeout`: no response headers in time. */
export type AttemptFailure = 'connect' | 'timeout';

export interface AttemptListener {
  onUpstreamResponse(attempt: UpstreamAttempt, response: IncomingMessage): void;
  onUpstreamFailure(attempt: UpstreamAttempt, failure: AttemptFailure, error: Error): void;
}

export interface ForwardOptions {
  readonly method: string;
  /** Request target as received (`/home?id=1`); the server's base path is prepended. */
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  /** Time allowed until the response headers arrive. */
  readonly timeoutMs: number;
  /** The client's request stream (piped, not buffered), a buffer (replayable), or no body. */
  readonly body: Readable | Buffer | undefined;
}

export type AttemptState = 'pending' | 'response' | 'failed' | 'aborted';

const ATTEMPT = Symbol('lblab.attempt');
type AttemptRequest = ClientRequest & { [ATTEMPT]: UpstreamAttempt };

export class UpstreamAttempt {
  state: AttemptState = 'pending';
  readonly startedAt: number;
  readonly request: ClientRequest;
  response: IncomingMessage | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly backend: Backend,
    options: ForwardOptions,
    private readonly listener: AttemptListener,
  ) {
    this.startedAt = performance.now();
    const path = options.path.charCodeAt(0) === 47 /* / */ ? options.path : originFormOf(options.path);
    const request = backend.request({
      hostname: backend.hostname,
      port: backend.port,
      method: options.method,
      path: backend.basePath + path,
      headers: options.headers,
      agent: backend.agent,
    }) as AttemptRequest;
    request[ATTEMPT] = this;
    request.on('response', onResponse);
    request.on('error', onRequestError);
    this.request = request;
    this.timer = setTimeout(onTimeout, options.timeoutMs, this, options.timeoutMs);
    const body = options.body;
    if (body === undefined) request.end();
    else if (Buffer.isBuffer(body)) request.end(body);
    else body.pipe(request);
  }

  /** Stops the attempt (the client left, or another attempt won): destroys the upstream request and response. */
  abort(): void {
    if (this.state === 'failed' || this.state === 'aborted') return;
    this.state = 'aborted';
    clearTimeout(this.timer);
    this.request.destroy();
  }

  /** @internal */
  handleResponse(response: IncomingMessage): void {
    if (this.state !== 'pending') {
      response.destroy();
      return;
    }
    this.state = 'response';
    this.response = response;
    clearTimeout(this.timer);
    this.listener.onUpstreamResponse(this, response);
  }

  /** @internal */
  handleFailure(failure: AttemptFailure, error: Error): void {
    if (this.state !== 'pending') return;
    this.state = 'failed';
    clearTimeout(this.timer);
    if (failure === 'timeout') this.request.destroy();
    this.listener.onUpstreamFailure(this, failure, error);
  }
}

/** Starts forwarding to `backend`; the listener hears of the response headers or a failure. */
export function forwardOnce(backend: Backend, options: ForwardOptions, listener: AttemptListener): UpstreamAttempt {
  return new UpstreamAttempt(backend, options, listener);
}

function onResponse(this: AttemptRequest, response: IncomingMessage): void {
  this[ATTEMPT].handleResponse(response);
}

function onRequestError(this: AttemptRequest, error: Error): void {
  this[ATTEMPT].handleFailure('connect', error);
}

function onTimeout(attempt: UpstreamAttempt, timeoutMs: number): void {
  attempt.handleFailure('timeout', new Error(`no response within ${timeoutMs} ms`));
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
