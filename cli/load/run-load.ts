import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Histogram } from 'hdr-histogram-js';
import type { Client, Dispatcher } from 'undici';
import { runClosedModel } from './closed-model.js';
import { ConnectionSet } from './connection-set.js';
import { GeneratorSaturation } from './generator-saturation.js';
import { createRequestPath, type RequestPathFn } from './key-spread.js';
import { LoadRecorder } from './load-recorder.js';
import type { LoadModel, LoadOptions, ResolvedLoadOptions } from './load-options.js';
import { NO_RESPONSE, type LoadResult } from './load-result.js';
import type { CompletionListener, ModelContext } from './model-context.js';
import { runOpenModel, scheduledRequests } from './open-model.js';
import { runReplayModel } from './replay-model.js';
import { CANCELLED_STATUS, NO_RESPONSE_STATUS } from './request-log.js';
import { RequestSlot, type SlotDispatchOptions } from './request-slot.js';
import { resolveLoadOptions } from './resolve-load-options.js';
import { TimeoutSweeper } from './timeout-sweeper.js';
import type { LoadTick } from './types.js';

export interface LoadStartInfo {
  readonly startedAt: Date;
  readonly origin: string;
  readonly model: LoadModel;
  /** Requests the run will send at most. */
  readonly scheduled: number;
}

export interface LoadRunEvents {
  start: [info: LoadStartInfo];
  tick: [tick: LoadTick];
  done: [result: LoadResult];
}

/** Why a run ended. `completed`: every request was sent and answered. */
export type LoadEndReason = 'completed' | 'stopped' | 'deadline' | 'aborted';

/**
 * One load run. Emits `start`, `tick` (every tickIntervalMs, plus a final
 * partial tick) and `done`; `result` resolves with the same LoadResult as `done`.
 */
export class LoadRun extends EventEmitter<LoadRunEvents> {
  readonly result: Promise<LoadResult>;
  private readonly options: ResolvedLoadOptions;
  private readonly recorder = new LoadRecorder();
  private readonly stopController = new AbortController();
  private readonly requestPath: RequestPathFn;
  /** Request bytes computed once: a string body is encoded once, not per request. */
  private readonly requestBody: Buffer | undefined;
  /** Every slot made: as many as requests were ever in flight at once. */
  private readonly slots: RequestSlot[] = [];
  /** Slots not in flight, reused. */
  private readonly idleSlots: RequestSlot[] = [];
  private readonly timeoutSweeper: TimeoutSweeper;
  private readonly onSlotDone = (slot: RequestSlot): void => this.recordSlot(slot);
  private readonly ticks: LoadTick[] = [];
  /** The generator's own event loop: when it is saturated, the latencies are partly its own. */
  private saturation: GeneratorSaturation | undefined;
  private connections: ConnectionSet | undefined;
  /** Slots prepared while every connection was busy, sent in order as connections come back (head index: no shift per request). */
  private waiting: RequestSlot[] = [];
  private waitingHead = 0;
  private inFlightCount = 0;
  private cancelling = false;
  private endReasonValue: LoadEndReason = 'completed';
  private startMs = 0;
  private lastTickAtMs = 0;
  private tickIndex = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private resolveResult!: (result: LoadResult) => void;
  private rejectResult!: (error: unknown) => void;

  /** Use runLoad(). */
  constructor(options: ResolvedLoadOptions) {
    super();
    this.options = options;
    const replay = options.model.kind === 'replay' ? options.model : undefined;
    this.requestPath = replay === undefined ? createRequestPath(options.path, options.keys, options.random) : (index) => replay.paths[index] ?? options.path;
    this.requestBody = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    this.timeoutSweeper = new TimeoutSweeper(this.slots, options.timeoutMs);
    this.result = new Promise<LoadResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A caller that only listens to `done` must not get an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** Ends the run early and gracefully: sends nothing new, waits for requests in flight (bounded by timeoutMs and maxDurationMs). */
  stop(): void {
    this.beginStopping('stopped');
  }

  /** Requests sent and not answered yet. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Why the run ended (meaningful once `done` was emitted). */
  get endReason(): LoadEndReason {
    return this.endReasonValue;
  }

  /** The run's HDR histograms of latency in microseconds (read them, do not record into them). */
  get histograms(): { readonly overall: Histogram; readonly byServer: ReadonlyMap<string, Histogram> } {
    const byServer = new Map<string, Histogram>();
    for (const [name, counts] of this.recorder.byServer) byServer.set(name, counts.histogram);
    return { overall: this.recorder.overall, byServer };
  }

  /** @internal Started by runLoad on the next turn of the event loop, so listeners can be attached first. */
  begin(): void {
    this.execute().then(
      (result) => {
        this.emit('done', result);
        this.resolveResult(result);
      },
      (error: unknown) => {
        this.cleanupTimers();
        this.saturation?.finish();
        this.rejectResult(error);
      },
    );
  }

  private async execute(): Promise<LoadResult> {
    const { options } = this;
    const signal = options.signal;
    const onAbort = (): void => this.cancel('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) this.beginStopping('aborted');

    const model = options.model;
    const scheduled = model.kind === 'closed' ? model.requests : model.kind === 'replay' ? model.offsetsMs.length : scheduledRequests(model);
    const connections = new ConnectionSet(
      options.origin,
      {
        // Never two requests in flight on a connection: the run hands a connection one request at a time. At 1, undici
        // waits a turn of the event loop (setImmediate) after each response before it writes the next request; at 2 it
        // writes it at once (the response is complete by then), as autocannon and wrk do: one loop turn less a request.
        pipelining: 2,
        connectTimeout: Math.min(options.timeoutMs, 10_000),
        // Off: the TimeoutSweeper applies timeoutMs to headers and body gaps (see RequestSlot).
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      options.connections,
    );
    this.connections = connections;
    this.saturation = new GeneratorSaturation();
    this.startMs = performance.now();
    this.emit('start', { startedAt: new Date(), origin: options.origin, model, scheduled });
    this.scheduleTick();
    this.timeoutSweeper.start();
    this.deadlineTimer = setTimeout(() => this.cancel('deadline'), options.maxDurationMs);

    const context: ModelContext = {
      now: () => performance.now(),
      isStopping: () => this.stopController.signal.aborted,
      stopSignal: this.stopController.signal,
      send: (index, startMs, onCompleted) => this.send(connections, index, startMs, onCompleted),
      inFlight: () => this.inFlightCount,
      recordDropped: () => this.recorder.recordDropped(),
    };
    try {
      if (model.kind === 'closed') await runClosedModel(model, context);
      else if (model.kind === 'replay') await runReplayModel(model, context);
      else await runOpenModel(model, context);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.cleanupTimers();
      await this.closeConnections();
    }

    const durationMs = Math.round(performance.now() - this.startMs);
    if (!this.recorder.tickIsEmpty || this.ticks.length === 0) {
      this.emitTick(durationMs, Math.max(0, durationMs - this.lastTickAtMs));
    }
    const saturation = this.saturation?.finish();
    const result = this.recorder.result(durationMs, scheduled, this.ticks);
    return saturation === undefined ? result : { ...result, saturation };
  }

  private send(connections: ConnectionSet, index: number, startMs: number, onCompleted: CompletionListener): void {
    const slot = this.idleSlots.pop() ?? this.createSlot();
    this.inFlightCount += 1;
    slot.prepare(this.requestPath(index), startMs, onCompleted);
    const client = connections.acquire();
    if (client === undefined) this.waiting.push(slot);
    else slot.dispatch(client);
  }

  /** A connection whose request settled: the next waiting request goes on it, else it is idle. */
  private releaseConnection(client: Client): void {
    if (this.waitingHead < this.waiting.length) {
      const next = this.waiting[this.waitingHead]!;
      this.waitingHead += 1;
      if (this.waitingHead === this.waiting.length) {
        this.waiting = [];
        this.waitingHead = 0;
      }
      next.dispatch(client);
      return;
    }
    this.connections?.release(client);
  }

  /** A request's outcome: recorded, its slot made idle, then its model told (which may send the next request on the same slot). */
  private recordSlot(slot: RequestSlot): void {
    const endMs = performance.now();
    this.inFlightCount -= 1;
    if (slot.dispatcher !== undefined) this.releaseConnection(slot.dispatcher as Client);
    const log = this.options.requestLog;
    if (log !== undefined) {
      const status = this.cancelling ? CANCELLED_STATUS : slot.errorCode === undefined ? slot.statusCode : NO_RESPONSE_STATUS;
      const server = slot.errorCode === undefined ? slot.serverId : NO_RESPONSE;
      log.record(slot.startMs - this.startMs, endMs - this.startMs, slot.path, server, status);
    }
    if (this.cancelling) {
      this.recorder.recordCancelled();
    } else if (slot.errorCode === undefined) {
      this.recorder.recordResponse(slot.serverId, slot.statusCode, (endMs - slot.startMs) * 1000);
    } else {
      this.recorder.recordFailure(slot.errorCode);
    }
    const onCompleted = slot.takeListener();
    this.idleSlots.push(slot);
    onCompleted?.(endMs);
  }

  private createSlot(): RequestSlot {
    const { options } = this;
    // The slot's own options object: undici reads it at each dispatch (or keeps it while the request waits in the pool queue).
    const dispatchOptions: SlotDispatchOptions = {
      path: options.path,
      method: options.method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: this.requestBody,
      headersTimeout: 0,
      bodyTimeout: 0,
      // undici closes the connection after the answer, so the next request opens a new one.
      ...(options.connection === 'new' ? { reset: true } : {}),
    };
    const slot = new RequestSlot(dispatchOptions, this.onSlotDone);
    this.slots.push(slot);
    return slot;
  }

  private beginStopping(reason: LoadEndReason): void {
    if (this.stopController.signal.aborted) return;
    this.endReasonValue = reason;
    this.stopController.abort();
  }

  /** Hard stop: requests in flight are cancelled by closing the connections (waiting ones then fail at once). */
  private cancel(reason: 'deadline' | 'aborted'): void {
    this.beginStopping(reason);
    if (this.cancelling) return;
    this.cancelling = true;
    this.connections?.destroy().catch(() => undefined);
  }

  private scheduleTick(): void {
    this.tickIndex += 1;
    const dueMs = this.startMs + this.tickIndex * this.options.tickIntervalMs;
    this.tickTimer = setTimeout(() => {
      const atMs = this.tickIndex * this.options.tickIntervalMs;
      this.emitTick(atMs, atMs - this.lastTickAtMs);
      this.scheduleTick();
    }, Math.max(0, dueMs - performance.now()));
  }

  private emitTick(atMs: number, intervalMs: number): void {
    const recorded = this.recorder.takeTick(atMs, intervalMs, this.inFlightCount);
    const window = this.saturation?.latest;
    const tick = window === undefined ? recorded : { ...recorded, generatorSaturation: window };
    this.lastTickAtMs = atMs;
    this.ticks.push(tick);
    this.emit('tick', tick);
  }

  private cleanupTimers(): void {
    clearTimeout(this.tickTimer);
    clearTimeout(this.deadlineTimer);
    this.timeoutSweeper.stop();
    this.tickTimer = undefined;
    this.deadlineTimer = undefined;
  }

  private async closeConnections(): Promise<void> {
    const connections = this.connections;
    if (connections === undefined || connections.destroyed) return;
    await connections.destroy();
  }
}

/**
 * Starts a load run against `options.url`. Options are checked at once
 * (LabError `LBLAB_BAD_INPUT`); the run starts on the next turn of the event loop.
 */
export function runLoad(options: LoadOptions): LoadRun {
  const run = new LoadRun(resolveLoadOptions(options));
  setImmediate(() => run.begin());
  return run;
}
