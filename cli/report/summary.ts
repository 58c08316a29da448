import type { LoadResult } from '../load/load-result.js';
import { naturalCompare } from '../load/natural-compare.js';
import { compareServerNames } from './compare-server-names.js';
import type { RunAction, RunHealthChange, RunLab, RunServerSummary, RunSummary, RunThreshold } from './run-summary.js';

export type { RunAction, RunHealthChange, RunLab, RunSeriesPoint, RunServerSummary, RunSummary, RunThreshold } from './run-summary.js';

export interface BuildSummaryInput {
  readonly result: LoadResult;
  readonly scenario: string;
  readonly seed?: number | null;
  readonly lab: RunLab;
  readonly startedAt: Date | string;
  readonly actions?: readonly RunAction[];
  readonly healthChanges?: readonly RunHealthChange[];
  /** Filled by the scenario engine; default []. */
  readonly thresholds?: readonly RunThreshold[];
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The RunSummary of a load result. Pure. Server counts add up exactly to totals.requests. */
export function buildSummary(input: BuildSummaryInput): RunSummary {
  const { result, lab } = input;
  const names = new Set<string>([...lab.servers, ...Object.keys(result.byServer)]);
  for (const tick of result.ticks) for (const name of Object.keys(tick.byServer)) names.add(name);
  const sortedNames = [...names].sort(compareServerNames);

  let requests = 0;
  let errors = 0;
  const servers: RunServerSummary[] = sortedNames.map((name) => {
    const server = result.byServer[name];
    requests += server?.requests ?? 0;
    errors += server?.errors ?? 0;
    return {
      name,
      requests: server?.requests ?? 0,
      share: 0,
      errors: server?.errors ?? 0,
      p50Ms: server?.latency.p50Ms ?? 0,
      p90Ms: server?.latency.p90Ms ?? 0,
      p99Ms: server?.latency.p99Ms ?? 0,
      maxMs: server?.latency.maxMs ?? 0,
    };
  });
  const withShares = servers.map((server) => ({ ...server, share: requests === 0 ? 0 : round(server.requests / requests, 4) }));

  const series = result.ticks.map((tick) => {
    const byServer: Record<string, number> = {};
    let tickRequests = 0;
    for (const name of sortedNames) {
      const count = tick.byServer[name] ?? 0;
      byServer[name] = count;
      tickRequests += count;
    }
    return {
      atMs: tick.atMs,
      intervalMs: tick.intervalMs,
      byServer,
      requests: tickRequests,
      errors: tick.errors,
      p50Ms: tick.latency.p50Ms,
      p90Ms: tick.latency.p90Ms,
      p99Ms: tick.latency.p99Ms,
    };
  });

  const byAtMs = <T extends { readonly atMs: number }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.atMs - b.atMs);
  const statuses = Object.fromEntries(Object.entries(result.byStatus).sort(([a], [b]) => naturalCompare(a, b)));
  const errorCodes = Object.fromEntries(Object.entries(result.byErrorCode).sort(([a], [b]) => naturalCompare(a, b)));

  return {
    scenario: input.scenario,
    seed: input.seed ?? null,
    lab,
    startedAt: typeof input.startedAt === 'string' ? input.startedAt : input.startedAt.toISOString(),
    durationMs: result.durationMs,
    totals: {
      requests,
      errors,
      dropped: result.dropped,
      cancelled: result.cancelled,
      ratePerSec: result.durationMs > 0 ? round((requests * 1000) / result.durationMs, 1) : 0,
    },
    servers: withShares,
    statuses,
    errorCodes,
    latency: { ...result.latency },
    series,
    actions: byAtMs(input.actions ?? []),
    healthChanges: byAtMs(input.healthChanges ?? []),
    thresholds: [...(input.thresholds ?? [])],
  };
}
