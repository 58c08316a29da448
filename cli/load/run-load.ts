import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Histogram } from 'hdr-histogram-js';
import { Pool, type Dispatcher } from 'undici';
import { runClosedModel } from './closed-model.js';
import { createRequestPath, type RequestPathFn } from './key-spread.js';
import { LoadRecorder } from './load-recorder.js';
import type { LoadModel, LoadOptions, ResolvedLoadOptions } from './load-options.js';
import type { LoadResult } from './load-result.js';
import type { ModelContext } from './model-context.js';
import { runOpenModel, scheduledRequests } from './open-model.js';
import { resolveLoadOptions } from './resolve-load-options.js';
import { sendOne, type OneRequest } from './send-one.js';
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
  private readonly requestBase: Omit<OneRequest, 'path'>;
  private readonly ticks: LoadTick[] = [];
  private pool: Pool | undefined;
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
    this.requestPath = createRequestPath(options.path, options.keys, options.random);
    this.requestBase = {
      method: options.method as Dispatcher.HttpMethod,
      headers: options.headers,
      body: options.body,
      timeoutMs: options.timeoutMs,
    };
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
    const scheduled = model.kind === 'closed' ? model.requests : scheduledRequests(model);
    this.pool = new Pool(options.origin, {
      connections: options.connections,
      pipelining: 1,
      connectTimeout: Math.min(options.timeoutMs, 10_000),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    this.startMs = performance.now();
    this.emit('start', { startedAt: new Date(), origin: options.origin, model, scheduled });
    this.scheduleTick();
    this.deadlineTimer = setTimeout(() => this.cancel('deadline'), options.maxDurationMs);

    const context: ModelContext = {
      now: () => performance.now(),
      isStopping: () => this.stopController.signal.aborted,
      stopSignal: this.stopController.signal,
      send: (index, intendedStartMs) => this.send(index, intendedStartMs),
      inFlight: () => this.inFlightCount,
      recordDropped: () => this.recorder.recordDropped(),
    };
    try {
      if (model.kind === 'closed') await runClosedModel(model, context);
      else await runOpenModel(model, context);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.cleanupTimers();
      await this.closePool();
    }

    const durationMs = Math.round(performance.now() - this.startMs);
    if (!this.recorder.tickIsEmpty || this.ticks.length === 0) {
      this.emitTick(durationMs, Math.max(0, durationMs - this.lastTickAtMs));
    }
    return this.recorder.result(durationMs, scheduled, this.ticks);
  }

  private async send(index: number, intendedStartMs: number | undefined): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) return;
    this.inFlightCount += 1;
    const startMs = intendedStartMs ?? performance.now();
    const outcome = await sendOne(pool, { ...this.requestBase, path: this.requestPath(index) });
    this.inFlightCount -= 1;
    if (this.cancelling) {
      this.recorder.recordCancelled();
    } else if (outcome.kind === 'response') {
      this.recorder.recordResponse(outcome.server, outcome.statusCode, (performance.now() - startMs) * 1000);
    } else {
      this.recorder.recordFailure(outcome.code);
    }
  }

  private beginStopping(reason: LoadEndReason): void {
    if (this.stopController.signal.aborted) return;
    this.endReasonValue = reason;
    this.stopController.abort();
  }

  /** Hard stop: requests in flight are cancelled by destroying the pool. */
  private cancel(reason: 'deadline' | 'aborted'): void {
    this.beginStopping(reason);
    if (this.cancelling) return;
    this.cancelling = true;
    this.pool?.destroy().catch(() => undefined);
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
    const tick = this.recorder.takeTick(atMs, intervalMs, this.inFlightCount);
    this.lastTickAtMs = atMs;
    this.ticks.push(tick);
    this.emit('tick', tick);
  }

  private cleanupTimers(): void {
    clearTimeout(this.tickTimer);
    clearTimeout(this.deadlineTimer);
    this.tickTimer = undefined;
    this.deadlineTimer = undefined;
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined || pool.destroyed) return;
    await pool.destroy().catch(() => undefined);
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
