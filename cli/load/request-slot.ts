import type { Dispatcher } from 'undici';
import { errorCodeOf } from './error-code.js';
import { NO_SERVER_ID } from './load-result.js';
import type { CompletionListener } from './model-context.js';
import { RequestTimeoutError } from './request-timeout-error.js';
import { serverIdFromRawHeaders } from './server-id-header.js';

/** The dispatch options of one slot. Only `path` changes between requests (keys spread). */
export interface SlotDispatchOptions extends Dispatcher.DispatchOptions {
  path: string;
}

const IDLE = 0;
/** Dispatched; not written to a connection yet (queued in the pool, or connecting): no timeout runs. */
const QUEUED = 1;
/** Written: waiting for the response headers. */
const AWAITING_HEADERS = 2;
/** Headers received: reading the body. */
const READING_BODY = 3;
/** Settled inside dispatch() (undici reports some errors synchronously), or failed; reported on the next turn. */
const SETTLED_DURING_DISPATCH = 4;

/**
 * The undici dispatch handler of one request at a time, reused for the next
 * one once done, so a request allocates no handler, options, closure or
 * promise of ours. It keeps the status and X-Server-Id (read from the raw
 * headers), discards the body, and calls `onDone` exactly once per request,
 * never synchronously from `dispatch()`, and a failure on the next turn.
 *
 * Timeouts are counted here in sweeps of a TimeoutSweeper, not with undici's
 * headersTimeout/bodyTimeout: those allocate a timer per request that undici
 * drops only on its next 0.5 s pass, so a million requests push tens of MB
 * through the old generation (peak RSS above 150 MB).
 */
export class RequestSlot implements Dispatcher.DispatchHandler {
  startMs = 0;
  statusCode = 0;
  serverId = NO_SERVER_ID;
  /** undefined when a complete response arrived; the failure's code otherwise. */
  errorCode: string | undefined = undefined;
  /** Where the current (or last) request was dispatched. */
  dispatcher: Dispatcher | undefined = undefined;
  private listener: CompletionListener | undefined = undefined;
  private state = IDLE;
  private dispatching = false;
  /** Sweeps since the request was written or last received something. */
  private idleSweeps = 0;
  private abort: ((error?: Error) => void) | undefined = undefined;
  private readonly options: SlotDispatchOptions;
  private readonly onDone: (slot: RequestSlot) => void;
  private readonly reportDeferred = (): void => {
    this.state = IDLE;
    this.onDone(this);
  };

  constructor(options: SlotDispatchOptions, onDone: (slot: RequestSlot) => void) {
    this.options = options;
    this.onDone = onDone;
  }

  /** Sends one request on `dispatcher`; `onDone(this)` follows once it completed or failed. */
  send(dispatcher: Dispatcher, path: string, startMs: number, listener: CompletionListener): void {
    this.prepare(path, startMs, listener);
    this.dispatch(dispatcher);
  }

  /** Takes the next request; it waits (no timeout runs) until dispatch(). */
  prepare(path: string, startMs: number, listener: CompletionListener): void {
    this.options.path = path;
    this.startMs = startMs;
    this.statusCode = 0;
    this.serverId = NO_SERVER_ID;
    this.errorCode = undefined;
    this.listener = listener;
    this.state = QUEUED;
  }

  /** Sends the prepared request on `dispatcher` (kept in `dispatcher` until the next one). */
  dispatch(dispatcher: Dispatcher): void {
    this.dispatcher = dispatcher;
    this.dispatching = true;
    try {
      dispatcher.dispatch(this.options, this);
    } catch (error) {
      this.onError(error as Error);
    }
    this.dispatching = false;
    if (this.state === SETTLED_DURING_DISPATCH) setImmediate(this.reportDeferred);
  }

  /** Path of the request being sent or just reported. */
  get path(): string {
    return this.options.path;
  }

  /** The listener of the request just reported; the slot holds no reference to it afterwards. */
  takeListener(): CompletionListener | undefined {
    const listener = this.listener;
    this.listener = undefined;
    return listener;
  }

  /**
   * One sweep of the timeout sweeper: a request written to a connection that
   * received nothing for more than `idleSweepLimit` sweeps fails with a
   * RequestTimeoutError (UND_ERR_HEADERS_TIMEOUT or UND_ERR_BODY_TIMEOUT), and undici closes its connection.
   */
  sweep(idleSweepLimit: number, timeoutMs: number): void {
    if (this.state !== AWAITING_HEADERS && this.state !== READING_BODY) return;
    this.idleSweeps += 1;
    if (this.idleSweeps <= idleSweepLimit) return;
    this.abort?.(new RequestTimeoutError(this.state === AWAITING_HEADERS ? 'headers' : 'body', timeoutMs));
  }

  onConnect(abort: (error?: Error) => void): void {
    // undici calls this again when it re-sends the request on another connection.
    this.abort = abort;
    this.idleSweeps = 0;
    if (this.state === QUEUED) this.state = AWAITING_HEADERS;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // May run more than once (1xx informational responses): the last one is the response.
    this.statusCode = statusCode;
    this.serverId = serverIdFromRawHeaders(rawHeaders);
    this.idleSweeps = 0;
    if (statusCode >= 200 && this.state === AWAITING_HEADERS) this.state = READING_BODY;
    return true;
  }

  onData(): boolean {
    this.idleSweeps = 0;
    return true;
  }

  onComplete(): void {
    this.settle(undefined);
  }

  onError(error: Error): void {
    this.settle(errorCodeOf(error));
  }

  private settle(errorCode: string | undefined): void {
    if (this.state === IDLE || this.state === SETTLED_DURING_DISPATCH) return;
    this.errorCode = errorCode;
    this.abort = undefined;
    if (this.dispatching) {
      this.state = SETTLED_DURING_DISPATCH;
      return;
    }
    if (errorCode !== undefined) {
      // A failure is reported on the next turn: undici fails the requests queued on a connection in one loop, and the
      // report sends the next request on that same connection, which undici asserts it does not get meanwhile.
      this.state = SETTLED_DURING_DISPATCH;
      setImmediate(this.reportDeferred);
      return;
    }
    this.state = IDLE;
    this.onDone(this);
  }
}
