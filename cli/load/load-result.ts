import type { SaturationStats } from '../../balancer/api-types.js';
import type { LoadTick } from './types.js';

/** Bucket of byServer for responses without an X-Server-Id header. */
export const NO_SERVER_ID = '(none)';
/** Bucket of byServer for requests that got no response at all (refused, reset, timed out). */
export const NO_RESPONSE = '(no response)';

/** Latency percentiles in milliseconds (microsecond resolution, 3 significant digits). All 0 when nothing was recorded. */
export interface LatencySummary {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface ServerLoadResult {
  /** Requests answered by this server (or, for NO_RESPONSE, requests that failed without a response). */
  readonly requests: number;
  /** Of those, status >= 500 or no response. */
  readonly errors: number;
  /** Latency of responses of any status; requests with no response record no latency. */
  readonly latency: LatencySummary;
}

export interface LoadResult {
  /** Requests completed: with a response of any status, or failed without one. Equals the sum of byServer[*].requests. */
  readonly requests: number;
  /** Status >= 500, or no response. */
  readonly errors: number;
  /** Open model: requests due while `maxInFlight` were in flight, so not sent. Always 0 for the closed model. */
  readonly dropped: number;
  /** Requests in flight when the run was cut short (maxDurationMs reached or signal aborted); not in `requests`. */
  readonly cancelled: number;
  /** Open model: requests scheduled (`floor(ratePerSec * durationMs / 1000)`); closed model: the requests asked for. */
  readonly scheduled: number;
  readonly durationMs: number;
  /** Keyed by X-Server-Id, NO_SERVER_ID or NO_RESPONSE. */
  readonly byServer: Readonly<Record<string, ServerLoadResult>>;
  /** Keyed by status code, and "error" for requests with no response. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests with no response, by error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...). */
  readonly byErrorCode: Readonly<Record<string, number>>;
  readonly latency: LatencySummary;
  /** One per tick (tickIntervalMs, default 1 s) plus a final partial one. Kept in memory: bounded by maxDurationMs / tickIntervalMs. */
  readonly ticks: readonly LoadTick[];
  /** The worst window (one per tick) of the load generator's own event loop; saturated means the figures are partly the generator's. */
  readonly saturation?: SaturationStats;
}
