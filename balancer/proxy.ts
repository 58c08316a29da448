// The data path: choose a server, forward once, stream the answer back.
// Per request it allocates one Exchange and the upstream request; listeners
// are shared functions that find their Exchange on the emitter, so the hot
// path creates no closures.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { AdmissionQueue, type QueueTicket } from './admission-queue.js';
import type { Algorithm, Candidate } from './algorithms/algorithm.js';
import { Backend } from './backend.js';
import type { BackendPool } from './backend-pool.js';
import { forwardedRequestHeaders, hasRequestBody } from './forwarded-headers.js';
import { hashKey } from './hash-key.js';
import { endToEndHeaders } from './hop-by-hop.js';
import { sendFailure } from './json-response.js';
import { NO_SERVER, type BalancerMetrics, type FailureReason, type ServerMetrics } from './metrics.js';
import { forwardOnce, type AttemptFailure, type AttemptListener, type UpstreamAttempt } from './upstream-attempt.js';

export interface ProxyOptions {
  readonly pool: BackendPool;
  readonly metrics: BalancerMetrics;
  readonly algorithm: Algorithm;
  readonly hashKeyParam: string;
  readonly upstreamTimeoutMs: number;
  readonly queueTimeoutMs: number;
  readonly queueMaxLength: number;
}

export interface ProxyTotals {
  readonly requests: number;
  readonly errors: number;
  readonly inFlight: number;
}

const EXCHANGE = Symbol('lblab.exchange');
type TaggedResponse = ServerResponse & { [EXCHANGE]: Exchange };
type TaggedUpstreamResponse = IncomingMessage & { [EXCHANGE]: Exchange };

export class Proxy {
  algorithm: Algorithm;
  private readonly pool: BackendPool;
  private readonly metrics: BalancerMetrics;
  private readonly noServerMetrics: ServerMetrics;
  private readonly hashKeyParam: string;
  readonly upstreamTimeoutMs: number;
  private readonly queueTimeoutMs: number;
  private readonly queue: AdmissionQueue<Exchange>;
  /** Reused for every pick: algorithms read it synchronously and keep no reference. */
  private readonly pickRequest = { key: '' };
  private draining = false;
  private closing = false;
  private requests = 0;
  private errors = 0;
  private inFlight = 0;

  constructor(options: ProxyOptions) {
    this.pool = options.pool;
    this.metrics = options.metrics;
    this.noServerMetrics = options.metrics.forServer(NO_SERVER);
    this.algorithm = options.algorithm;
    this.hashKeyParam = options.hashKeyParam;
    this.upstreamTimeoutMs = options.upstreamTimeoutMs;
    this.queueTimeoutMs = options.queueTimeoutMs;
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
    const exchange = new Exchange(this, req, res, hashKey(req.url ?? '/', this.hashKeyParam, req.socket.remoteAddress));
    (res as TaggedResponse)[EXCHANGE] = exchange;
    res.on('close', onClientClose);
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
  };

  get queueLength(): number {
    return this.queue.length;
  }

  totals(): ProxyTotals {
    return { requests: this.requests, errors: this.errors, inFlight: this.inFlight };
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
    const req = exchange.req;
    try {
      exchange.attempt = forwardOnce(
        backend,
        {
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers: forwardedRequestHeaders(req),
          timeoutMs: this.upstreamTimeoutMs,
          body: hasRequestBody(req) ? req : undefined,
        },
        exchange,
      );
    } catch (error) {
      backend.errors++;
      exchange.releaseSlot();
      this.fail(exchange, 502, `could not send the request to ${backend.name}: ${(error as Error).message}`, 'upstream_failed', backend);
    }
  }

  /** @internal Answers with a balancer failure (JSON) and counts it. */
  fail(exchange: Exchange, status: number, message: string, reason: FailureReason, backend?: Backend): void {
    this.errors++;
    this.metrics.failure(reason);
    (backend?.metrics ?? this.noServerMetrics).countResponse(status, this.metrics.route(exchange.req.url ?? '/'));
    if (exchange.res.destroyed) return;
    sendFailure(exchange.res, status, message, backend === undefined ? undefined : { server: backend.name });
  }

  /** @internal */
  countResponse(exchange: Exchange, backend: Backend, status: number): void {
    if (status < 500) backend.successes++;
    else {
      backend.errors++;
      this.errors++;
    }
    backend.metrics.countResponse(status, this.metrics.route(exchange.req.url ?? '/'));
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
    const servers = all.map((b) => ({ name: b.name, health: b.health }));
    const message =
      all.length === 0
        ? 'no healthy server: no servers are registered'
        : `no healthy server: ${all.map((b) => `${b.name} ${b.health}`).join(', ')}`;
    this.errors++;
    this.metrics.failure('no_healthy_server');
    this.noServerMetrics.countResponse(503, this.metrics.route(exchange.req.url ?? '/'));
    if (!exchange.res.destroyed) sendFailure(exchange.res, 503, message, { servers });
  }

  private backendOf(chosen: Candidate): Backend {
    if (chosen instanceof Backend) return chosen;
    const backend = this.pool.get(chosen.name);
    if (backend === undefined) throw new Error(`${this.algorithm.name} picked "${chosen.name}", which is not a candidate`);
    return backend;
  }
}

/** One client request and its way through the balancer. */
class Exchange implements AttemptListener {
  backend: Backend | undefined;
  attempt: UpstreamAttempt | undefined;
  ticket: QueueTicket | undefined;
  slotHeld = false;

  constructor(
    readonly proxy: Proxy,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly key: string,
  ) {}

  onUpstreamResponse(attempt: UpstreamAttempt, response: IncomingMessage): void {
    const backend = attempt.backend;
    const status = response.statusCode ?? 502;
    this.proxy.countResponse(this, backend, status);
    const headers = endToEndHeaders(response.headers);
    if (headers['x-server-id'] === undefined) headers['x-server-id'] = backend.name;
    const res = this.res;
    (response as TaggedUpstreamResponse)[EXCHANGE] = this;
    response.on('close', onUpstreamResponseClose);
    response.on('error', onUpstreamResponseError);
    if (res.destroyed) {
      attempt.abort();
      return;
    }
    res.writeHead(status, response.statusMessage === '' ? undefined : response.statusMessage, headers);
    response.pipe(res);
  }

  onUpstreamFailure(attempt: UpstreamAttempt, failure: AttemptFailure, error: Error): void {
    const backend = attempt.backend;
    backend.errors++;
    this.releaseSlot();
    if (failure === 'timeout') {
      this.proxy.fail(this, 504, `upstream ${backend.name} did not respond within ${this.proxy.upstreamTimeoutMs} ms`, 'upstream_timeout', backend);
    } else {
      const code = (error as NodeJS.ErrnoException).code;
      const detail = code === undefined || error.message.includes(code) ? error.message : `${code} (${error.message})`;
      this.proxy.fail(this, 502, `upstream ${backend.name} failed before responding: ${detail}`, 'upstream_failed', backend);
    }
  }

  /** Gives the server's in-flight slot back, once, and lets a waiting request have it. */
  releaseSlot(): void {
    if (!this.slotHeld) return;
    this.slotHeld = false;
    (this.backend as Backend).release();
    this.proxy.drainQueue();
  }
}

function onClientClose(this: TaggedResponse): void {
  const exchange = this[EXCHANGE];
  exchange.proxy.clientClosed(exchange);
  if (this.writableFinished) return;
  const attempt = exchange.attempt;
  if (attempt === undefined) return;
  if (attempt.state === 'pending') exchange.proxy.countAbort(exchange);
  attempt.abort();
  exchange.releaseSlot();
}

function onUpstreamResponseClose(this: TaggedUpstreamResponse): void {
  const exchange = this[EXCHANGE];
  if (this.complete) {
    const attempt = exchange.attempt as UpstreamAttempt;
    attempt.backend.recordLatency(performance.now() - attempt.startedAt);
  } else if (!exchange.res.destroyed) {
    // The server went away mid-body: cut the client's response short too, so it does not look complete.
    exchange.res.destroy();
  }
  exchange.releaseSlot();
}

function onUpstreamResponseError(this: TaggedUpstreamResponse): void {
  // Handled on 'close' (the response is incomplete there).
}
