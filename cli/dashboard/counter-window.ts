import type { BalancerStats } from '../../balancer/api-types.js';

/** The balancer's counters at one moment. */
export interface CounterSample {
  /** Epoch ms when the sample arrived. */
  readonly atMs: number;
  readonly uptimeMs: number;
  readonly requests: number;
  readonly errors: number;
  readonly byServer: ReadonlyMap<string, number>;
}

export interface WindowRates {
  readonly ratePerSec: number;
  readonly errorsPerSec: number;
  /** Requests counted in the window (for shares and the error rate). */
  readonly requests: number;
  readonly errors: number;
  readonly byServer: ReadonlyMap<string, { readonly ratePerSec: number; readonly requests: number }>;
}

export function sampleOf(stats: BalancerStats, atMs: number): CounterSample {
  return {
    atMs,
    uptimeMs: stats.uptimeMs,
    requests: stats.totals.requests,
    errors: stats.totals.errors,
    byServer: new Map(stats.servers.map((server) => [server.name, server.requests])),
  };
}

/** True when `next` cannot follow `previous`: the balancer restarted (uptime or counters went back). */
export function isCounterReset(previous: CounterSample, next: CounterSample): boolean {
  return next.uptimeMs < previous.uptimeMs || next.requests < previous.requests || next.errors < previous.errors;
}

/**
 * Appends `next` and drops samples no longer needed to measure `windowMs`:
 * keeps the newest sample at least `windowMs` older than `next` as the base.
 * Starts over after a counter reset.
 */
export function addSample(samples: readonly CounterSample[], next: CounterSample, windowMs: number): readonly CounterSample[] {
  const last = samples[samples.length - 1];
  if (last !== undefined && isCounterReset(last, next)) return [next];
  const all = [...samples, next];
  let base = 0;
  for (let i = 0; i < all.length - 1; i++) {
    if ((all[i]?.atMs ?? 0) <= next.atMs - windowMs) base = i;
  }
  return all.slice(base);
}

/** Rates between the oldest and the newest kept sample; all 0 with fewer than two samples. */
export function windowRates(samples: readonly CounterSample[]): WindowRates {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const elapsedMs = first !== undefined && last !== undefined ? last.atMs - first.atMs : 0;
  if (first === undefined || last === undefined || elapsedMs <= 0) {
    return { ratePerSec: 0, errorsPerSec: 0, requests: 0, errors: 0, byServer: new Map() };
  }
  const perSec = (count: number): number => (count * 1000) / elapsedMs;
  const byServer = new Map<string, { ratePerSec: number; requests: number }>();
  for (const [name, requests] of last.byServer) {
    // A server missing from the base sample was added since: it started at 0.
    const delta = Math.max(0, requests - (first.byServer.get(name) ?? 0));
    byServer.set(name, { ratePerSec: perSec(delta), requests: delta });
  }
  const requests = Math.max(0, last.requests - first.requests);
  const errors = Math.max(0, last.errors - first.errors);
  return { ratePerSec: perSec(requests), errorsPerSec: perSec(errors), requests, errors, byServer };
}
