import { LabError } from '../errors.js';
import { latencyBuckets, type LatencyBucket } from './latency-buckets.js';
import { latencyPercentiles, type LatencyPercentiles } from './latency-percentiles.js';
import type { LoadModel } from './load-options.js';
import type { LoadResult } from './load-result.js';
import { runLoad, type LoadEndReason } from './run-load.js';
import type { LoadTick } from './types.js';

/** Bounds of one ad-hoc run, so a typo cannot start a day of load. */
export const AD_HOC_LIMITS = {
  maxConnections: 10_000,
  maxRequests: 10_000_000,
  maxDurationMs: 3_600_000,
  maxRatePerSec: 1_000_000,
} as const;

/** The closed model's request count when only a duration is given: the run is stopped when the duration ends. */
const UNBOUNDED_REQUESTS = 100_000_000;

/** What `lblab load` asks for: wrk/oha-style settings. */
export interface AdHocLoadSpec {
  /** Absolute URL; its path and query are requested. */
  readonly url: string;
  readonly connections: number;
  /** Exactly one of requests and durationMs. */
  readonly requests?: number;
  readonly durationMs?: number;
  /** Open model: requests per second whatever the server does (latency corrected for coordinated omission). */
  readonly ratePerSec?: number;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly onTick?: (tick: LoadTick) => void;
  readonly signal?: AbortSignal;
}

export interface AdHocServerResult {
  readonly name: string;
  readonly requests: number;
  readonly errors: number;
  readonly latency: LatencyPercentiles;
}

export interface AdHocLoadResult {
  readonly url: string;
  readonly method: string;
  readonly model: LoadModel;
  readonly connections: number;
  readonly endReason: LoadEndReason;
  readonly requests: number;
  readonly errors: number;
  readonly dropped: number;
  readonly cancelled: number;
  readonly durationMs: number;
  readonly requestsPerSec: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byErrorCode: Readonly<Record<string, number>>;
  readonly latency: LatencyPercentiles;
  readonly histogram: readonly LatencyBucket[];
  readonly servers: readonly AdHocServerResult[];
}

function bad(message: string): LabError {
  return new LabError('LBLAB_BAD_INPUT', message, { exitCode: 2 });
}

/** The engine's model for a spec: closed (connections each wait for their answer) unless a rate is given. */
export function adHocModel(spec: Pick<AdHocLoadSpec, 'connections' | 'requests' | 'durationMs' | 'ratePerSec'>): LoadModel {
  if (spec.requests !== undefined && spec.durationMs !== undefined) {
    throw bad(`give -n/--requests or -d/--duration, not both (got -n ${spec.requests} and -d ${spec.durationMs}ms)`);
  }
  if (spec.ratePerSec !== undefined) {
    const durationMs = spec.durationMs ?? Math.ceil(((spec.requests ?? 0) * 1000) / spec.ratePerSec);
    if (durationMs > AD_HOC_LIMITS.maxDurationMs) {
      throw bad(`-n ${spec.requests} at --rate ${spec.ratePerSec} would take ${durationMs}ms, more than the limit of ${AD_HOC_LIMITS.maxDurationMs}ms`);
    }
    return { kind: 'open', ratePerSec: spec.ratePerSec, durationMs, maxInFlight: Math.max(spec.connections, 1_000) };
  }
  return { kind: 'closed', requests: spec.requests ?? UNBOUNDED_REQUESTS, concurrency: spec.connections };
}

/** Runs wrk/oha-style load with the scenarios' engine and summarises it: rate, percentiles, histogram, split by X-Server-Id. */
export async function runAdHocLoad(spec: AdHocLoadSpec): Promise<AdHocLoadResult> {
  const url = new URL(spec.url);
  const model = adHocModel(spec);
  const byDuration = model.kind === 'closed' && spec.durationMs !== undefined;
  const run = runLoad({
    url: url.origin,
    path: `${url.pathname}${url.search}`,
    method: spec.method,
    headers: spec.headers,
    ...(spec.body === undefined ? {} : { body: spec.body }),
    model,
    timeoutMs: spec.timeoutMs,
    connections: spec.connections,
    ...(byDuration ? { maxDurationMs: (spec.durationMs ?? 0) + spec.timeoutMs + 1_000 } : {}),
    ...(spec.signal === undefined ? {} : { signal: spec.signal }),
  });
  if (spec.onTick !== undefined) run.on('tick', spec.onTick);
  let stopTimer: NodeJS.Timeout | undefined;
  run.on('start', () => {
    if (byDuration) stopTimer = setTimeout(() => run.stop(), spec.durationMs);
  });
  let result: LoadResult;
  try {
    result = await run.result;
  } finally {
    clearTimeout(stopTimer);
  }
  const { overall, byServer } = run.histograms;
  const servers = Object.entries(result.byServer).map(([name, counts]) => {
    const histogram = byServer.get(name);
    return {
      name,
      requests: counts.requests,
      errors: counts.errors,
      latency: latencyPercentiles(histogram),
    };
  });
  return {
    url: url.href,
    method: spec.method,
    model: model.kind === 'closed' && byDuration ? { kind: 'closed', requests: result.requests, concurrency: spec.connections } : model,
    connections: spec.connections,
    // A duration-bound closed run is stopped on purpose: that is its normal end.
    endReason: byDuration && run.endReason === 'stopped' ? 'completed' : run.endReason,
    requests: result.requests,
    errors: result.errors,
    dropped: result.dropped,
    cancelled: result.cancelled,
    durationMs: result.durationMs,
    requestsPerSec: result.durationMs > 0 ? (result.requests * 1000) / result.durationMs : 0,
    byStatus: result.byStatus,
    byErrorCode: result.byErrorCode,
    latency: latencyPercentiles(overall),
    histogram: latencyBuckets(overall),
    servers,
  };
}
