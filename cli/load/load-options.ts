import type { RequestLog } from './request-log.js';

/** Closed model: a fixed number of requests, sent by `concurrency` workers that each wait for their answer. */
export interface ClosedLoadModel {
  readonly kind: 'closed';
  readonly requests: number;
  readonly concurrency: number;
}

/**
 * Open model: requests arrive at a constant rate whatever the server does
 * (`ratePerSec` for `durationMs`, so `floor(ratePerSec * durationMs / 1000)` are
 * scheduled). Latency is measured from each request's intended send time, which
 * corrects for coordinated omission.
 */
export interface OpenLoadModel {
  readonly kind: 'open';
  readonly ratePerSec: number;
  readonly durationMs: number;
  /** Requests allowed in flight at once; a request due while this many are in flight is dropped (counted, not queued). Default 1000. */
  readonly maxInFlight?: number;
}

/** Replay: recorded arrivals (`lblab run --record`), request i due at `offsetsMs[i] / speed` with path `paths[i]`. */
export interface ReplayLoadModel {
  readonly kind: 'replay';
  /** Non-decreasing, since the start of the phase. */
  readonly offsetsMs: readonly number[];
  /** One per offset. */
  readonly paths: readonly string[];
  /** 2 plays twice as fast. Default 1. */
  readonly speed?: number;
  /** As in the open model. Default 1000. */
  readonly maxInFlight?: number;
}

export type LoadModel = ClosedLoadModel | OpenLoadModel | ReplayLoadModel;

/** Spread requests over keys, for hashing balancers: `?<param>=<k>` with k in [0, count). */
export interface KeySpreadOptions {
  readonly param: string;
  readonly count: number;
  /** `uniform`: k drawn with the seeded random source; `sequential`: k = request index mod count. */
  readonly distribution: 'uniform' | 'sequential';
}

/**
 * `keep-alive`: requests reuse the pool's connections; `new`: every request
 * opens its own connection, closed after the answer (what a balancer in tcp
 * mode needs to spread requests, not only connections).
 */
export type ConnectionPolicy = 'keep-alive' | 'new';

export const CONNECTION_POLICIES = ['keep-alive', 'new'] as const satisfies readonly ConnectionPolicy[];

export interface LoadOptions {
  /** Base URL (origin), e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Request path, may hold a query string. Default `/`. */
  readonly path?: string;
  /** Default `GET`. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly model: LoadModel;
  /** Per request: time allowed for the response headers, and for each gap in the body. Default 10000. */
  readonly timeoutMs?: number;
  /**
   * Hard bound on the whole run. Requests still in flight then are cancelled
   * (counted in `cancelled`). Default: 600000 for the closed model,
   * `durationMs + timeoutMs + 1000` for the open model.
   */
  readonly maxDurationMs?: number;
  /** Default 1000. */
  readonly tickIntervalMs?: number;
  readonly keys?: KeySpreadOptions;
  /** Seed of the random source used for `keys.distribution: 'uniform'`. Default 1. */
  readonly seed?: number;
  /** Random source in [0, 1); overrides `seed` (tests). */
  readonly random?: () => number;
  /** Keep-alive connections of the pool. Default: `concurrency` (closed) or `min(maxInFlight, 100)` (open). */
  readonly connections?: number;
  /** Default `keep-alive`. */
  readonly connection?: ConnectionPolicy;
  /** Aborting ends the run at once: no new requests, requests in flight are cancelled. */
  readonly signal?: AbortSignal;
  /** Every request is also written here (time, path, server, status). */
  readonly requestLog?: RequestLog;
}

/** LoadOptions with defaults applied and values checked. */
export interface ResolvedLoadOptions {
  readonly origin: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer | undefined;
  readonly model: ClosedLoadModel | Required<OpenLoadModel> | Required<ReplayLoadModel>;
  readonly timeoutMs: number;
  readonly maxDurationMs: number;
  readonly tickIntervalMs: number;
  readonly keys: KeySpreadOptions | undefined;
  readonly random: () => number;
  readonly connections: number;
  readonly connection: ConnectionPolicy;
  readonly signal: AbortSignal | undefined;
  readonly requestLog?: RequestLog;
}
