// GET /stats of a balancer with several workers: the primary's view (algorithm,
// servers and their checked health) with every worker's counters summed. Pure.
import type { BalancerStats, ResilienceStats, SaturationStats, ServerStats, WorkerStats } from '../api-types.js';

/** One worker's answer, or undefined when it did not answer in time (starting, restarting). */
export interface WorkerAnswer {
  readonly worker: number;
  readonly pid: number;
  readonly restarts: number;
  readonly stats: BalancerStats | undefined;
}

/** Counters of a server that add up across workers (the tcp ones are there in tcp mode only). */
const SERVER_SUMS = ['requests', 'successes', 'errors', 'inFlight', 'ejections', 'openConnections', 'connections', 'connectFailures', 'bytesToServer', 'bytesToClient'] as const;

/**
 * Sums the workers' counters into the primary's stats. A server's health is
 * the primary's (its active checks) unless a worker has ejected it; its
 * average latency is weighted by each worker's requests, and its p99 is the
 * largest of the workers' p99s (an upper bound: percentiles do not add).
 */
export function aggregateStats(primary: BalancerStats, answers: readonly WorkerAnswer[]): BalancerStats {
  const answered = answers.flatMap((answer) => (answer.stats === undefined ? [] : [answer.stats]));
  const servers = primary.servers.map((server) => mergeServer(server, answered.flatMap((stats) => stats.servers.filter((s) => s.name === server.name))));
  const resilience = sumRecords(answered.map((stats) => stats.resilience).filter((r): r is ResilienceStats => r !== undefined));
  const connections = sumRecords(answered.flatMap((stats) => (stats.connections === undefined ? [] : [stats.connections])));
  const saturation = worstSaturation(answered.flatMap((stats) => (stats.saturation === undefined ? [] : [stats.saturation])));
  const workers: WorkerStats[] = answers.map((answer) => ({
    worker: answer.worker,
    pid: answer.pid,
    requests: (answer.stats?.mode === 'tcp' ? answer.stats.connections?.total : answer.stats?.totals.requests) ?? 0,
    inFlight: answer.stats?.totals.inFlight ?? 0,
    restarts: answer.restarts,
    answered: answer.stats !== undefined,
  }));
  return {
    algorithm: primary.algorithm,
    uptimeMs: primary.uptimeMs,
    totals: {
      requests: sum(answered.map((stats) => stats.totals.requests)),
      errors: sum(answered.map((stats) => stats.totals.errors)),
      inFlight: sum(answered.map((stats) => stats.totals.inFlight)),
    },
    servers,
    ...(resilience === undefined ? {} : { resilience: resilience as unknown as ResilienceStats }),
    ...(saturation === undefined ? {} : { saturation }),
    // The primary relays nothing; the workers' tcp data paths say the mode.
    ...(primary.mode === undefined && answered[0]?.mode === undefined ? {} : { mode: primary.mode ?? answered[0]?.mode }),
    ...(connections === undefined ? {} : { connections: connections as unknown as NonNullable<BalancerStats['connections']> }),
    workers,
  };
}

function mergeServer(primary: ServerStats, perWorker: readonly ServerStats[]): ServerStats {
  const merged: Record<string, unknown> = { ...primary };
  for (const field of SERVER_SUMS) {
    const values = perWorker.flatMap((s) => (s[field] === undefined ? [] : [s[field]]));
    if (values.length > 0 || field === 'requests' || field === 'successes' || field === 'errors' || field === 'inFlight') merged[field] = sum(values);
  }
  const requests = sum(perWorker.map((s) => s.requests));
  merged.avgLatencyMs = requests === 0 ? 0 : sum(perWorker.map((s) => s.avgLatencyMs * s.requests)) / requests;
  merged.p99LatencyMs = Math.max(0, ...perWorker.map((s) => s.p99LatencyMs));
  const ejectedUntil = Math.max(0, ...perWorker.map((s) => (s.health === 'ejected' ? (s.ejectedUntil ?? 0) : 0)));
  if (primary.health === 'up' && perWorker.some((s) => s.health === 'ejected')) {
    merged.health = 'ejected';
    if (ejectedUntil > 0) merged.ejectedUntil = ejectedUntil;
  }
  return merged as unknown as ServerStats;
}

/** Field-by-field sums of records of counters; undefined when there is none. */
function sumRecords(records: readonly object[]): Record<string, number> | undefined {
  if (records.length === 0) return undefined;
  const total: Record<string, number> = {};
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) if (typeof value === 'number') total[key] = (total[key] ?? 0) + value;
  }
  return total;
}

/** The busiest worker's event loop: one saturated worker limits what the lab measures. */
function worstSaturation(samples: readonly SaturationStats[]): SaturationStats | undefined {
  if (samples.length === 0) return undefined;
  const worst = samples.reduce((a, b) => (b.eventLoopUtilization > a.eventLoopUtilization ? b : a), samples[0] as SaturationStats);
  return {
    ...worst,
    eventLoopDelayP99Ms: Math.max(...samples.map((s) => s.eventLoopDelayP99Ms)),
    saturated: samples.some((s) => s.saturated),
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
