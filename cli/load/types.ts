import type { SaturationStats } from '../../balancer/api-types.js';

/** One second (or one tick interval) of load, as the generator saw it. */
export interface LoadTick {
  /** Milliseconds since the run started, at the end of this tick. */
  readonly atMs: number;
  /** Length of this tick in milliseconds. */
  readonly intervalMs: number;
  /** Responses completed in this tick, by X-Server-Id ("(none)" when the header was missing). */
  readonly byServer: Readonly<Record<string, number>>;
  /** Responses in this tick that were errors (status >= 500 or no response at all). */
  readonly errors: number;
  /** Responses in this tick by status code ("error" for network failures). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Latency of this tick's responses. */
  readonly latency: { readonly p50Ms: number; readonly p90Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** Totals since the start of the run. */
  readonly totalRequests: number;
  readonly totalErrors: number;
  /** Open model only: requests not sent in this tick because `maxInFlight` was reached (0 for the closed model). */
  readonly dropped?: number;
  /** Open model only: dropped requests since the start of the run. */
  readonly totalDropped?: number;
  /** Requests sent and not yet answered at the end of this tick. */
  readonly inFlight?: number;
  /** How busy the load generator's own event loop was in its latest full window (about a second) before this tick's end. */
  readonly generatorSaturation?: SaturationStats;
}
