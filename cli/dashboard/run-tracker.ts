import { NO_RESPONSE, NO_SERVER_ID } from '../load/load-result.js';
import { naturalCompare } from '../load/natural-compare.js';
import type { LoadTick } from '../load/types.js';
import { appendBounded } from './bounded.js';
import {
  emptyDashboardState,
  type DashboardState,
  type FinishedPhase,
  type RunProgress,
  type RunSummary,
  type RunView,
  type ServerRow,
} from './dashboard-state.js';

/** What the load generator's ticks say, accumulated (immutable). */
export interface RunTicks {
  readonly last: LoadTick | undefined;
  /** Requests per second by server, one point per tick, bounded. */
  readonly histories: ReadonlyMap<string, readonly number[]>;
  /** Responses by server since the start. */
  readonly requestsByServer: ReadonlyMap<string, number>;
}

export interface RunTrackerState {
  readonly view: RunView;
  readonly ticks: RunTicks;
  /** Totals when the current phase began, to report finished phases. */
  readonly phaseStart: { readonly atMs: number; readonly requests: number; readonly errors: number };
}

const HISTORY_CAPACITY = 120;

export function initialRunState(scenario: string): RunTrackerState {
  return {
    view: { scenario, progress: undefined, finishedPhases: [], summary: undefined, resultsDir: undefined },
    ticks: { last: undefined, histories: new Map(), requestsByServer: new Map() },
    phaseStart: { atMs: 0, requests: 0, errors: 0 },
  };
}

/** Servers as the load generator names them: not the buckets for missing headers or failed requests. */
function isServerName(name: string): boolean {
  return name !== NO_SERVER_ID && name !== NO_RESPONSE;
}

export function applyTick(state: RunTrackerState, tick: LoadTick): RunTrackerState {
  const perSec = (count: number): number => (tick.intervalMs > 0 ? (count * 1000) / tick.intervalMs : 0);
  const names = new Set([...state.ticks.histories.keys(), ...Object.keys(tick.byServer).filter(isServerName)]);
  const histories = new Map<string, readonly number[]>();
  const requestsByServer = new Map(state.ticks.requestsByServer);
  for (const name of names) {
    const count = tick.byServer[name] ?? 0;
    histories.set(name, appendBounded(state.ticks.histories.get(name) ?? [], perSec(count), HISTORY_CAPACITY));
    requestsByServer.set(name, (requestsByServer.get(name) ?? 0) + count);
  }
  return { ...state, ticks: { last: tick, histories, requestsByServer } };
}

/** A new progress report; a change of phase closes the previous one. */
export function applyProgress(state: RunTrackerState, progress: RunProgress): RunTrackerState {
  const previous = state.view.progress;
  const totals = { requests: state.ticks.last?.totalRequests ?? 0, errors: state.ticks.last?.totalErrors ?? 0 };
  if (previous === undefined || previous.phaseIndex === progress.phaseIndex) {
    // The first phase began with the run, whenever the first report comes.
    const first = progress.phaseIndex === 0 ? { atMs: 0, requests: 0, errors: 0 } : { atMs: progress.elapsedMs, ...totals };
    const phaseStart = previous === undefined ? first : state.phaseStart;
    return { ...state, view: { ...state.view, progress }, phaseStart };
  }
  const finished: FinishedPhase = {
    index: previous.phaseIndex,
    name: previous.phase,
    durationMs: progress.elapsedMs - state.phaseStart.atMs,
    requests: totals.requests - state.phaseStart.requests,
    errors: totals.errors - state.phaseStart.errors,
  };
  return {
    ...state,
    view: { ...state.view, progress, finishedPhases: [...state.view.finishedPhases, finished] },
    phaseStart: { atMs: progress.elapsedMs, ...totals },
  };
}

export function applySummary(state: RunTrackerState, summary: RunSummary, resultsDir: string | undefined): RunTrackerState {
  const progress = state.view.progress;
  let next = state;
  if (progress !== undefined && !state.view.finishedPhases.some((phase) => phase.index === progress.phaseIndex)) {
    const finished: FinishedPhase = {
      index: progress.phaseIndex,
      name: progress.phase,
      durationMs: Math.max(0, summary.durationMs - state.phaseStart.atMs),
      requests: summary.requests - state.phaseStart.requests,
      errors: summary.errors - state.phaseStart.errors,
    };
    next = { ...state, view: { ...state.view, finishedPhases: [...state.view.finishedPhases, finished] } };
  }
  return { ...next, view: { ...next.view, summary, resultsDir } };
}

/**
 * The dashboard during a run: the lab's snapshot (states, health, latency
 * and errors per server, events) with the traffic as the load generator saw
 * it laid over it: requests, rates, sparklines and shares per server, and
 * the header's rate, error rate, p50/p99 and totals. Works without a lab
 * (a run against a URL; `lab` undefined or without a connection): the rows
 * and totals then come from the ticks alone.
 */
export function overlayRun(lab: DashboardState | undefined, run: RunTrackerState, nowMs: number): DashboardState {
  const base = lab ?? emptyDashboardState(nowMs);
  /** No balancer to ask: the request totals come from the ticks too. */
  const standalone = base.connection === undefined;
  const { last, histories, requestsByServer } = run.ticks;
  if (last === undefined) return { ...base, run: run.view };
  const tickTotal = Object.entries(last.byServer).reduce((sum, [, count]) => sum + count, 0);
  const tickServers = Object.entries(last.byServer).filter(([name]) => isServerName(name));
  const tickServerTotal = tickServers.reduce((sum, [, count]) => sum + count, 0);
  const runServerTotal = [...requestsByServer.values()].reduce((sum, count) => sum + count, 0);
  const perSec = (count: number): number => (last.intervalMs > 0 ? (count * 1000) / last.intervalMs : 0);
  const rows = new Map<string, ServerRow>(base.servers.map((row) => [row.name, row]));
  for (const name of histories.keys()) {
    if (!rows.has(name)) {
      rows.set(name, {
        name,
        state: 'unknown',
        health: 'unknown',
        registered: false,
        requests: requestsByServer.get(name) ?? 0,
        errors: 0,
        inFlight: 0,
        share: 0,
        ratePerSec: 0,
        rateHistory: [],
        latency: undefined,
      });
    }
  }
  const servers = [...rows.values()]
    .map((row): ServerRow => {
      const count = last.byServer[row.name] ?? 0;
      const share =
        tickServerTotal > 0 ? count / tickServerTotal : runServerTotal > 0 ? (requestsByServer.get(row.name) ?? 0) / runServerTotal : 0;
      const requests = requestsByServer.get(row.name) ?? 0;
      return { ...row, requests, ratePerSec: perSec(count), rateHistory: histories.get(row.name) ?? [], share };
    })
    .sort((a, b) => naturalCompare(a.name, b.name));
  return {
    ...base,
    servers,
    totals: {
      ...base.totals,
      ratePerSec: perSec(tickTotal),
      errorRate: tickTotal > 0 ? last.errors / tickTotal : last.totalRequests > 0 ? last.totalErrors / last.totalRequests : 0,
      requests: last.totalRequests,
      errors: last.totalErrors,
      ...(standalone || last.inFlight !== undefined ? { inFlight: last.inFlight ?? 0 } : {}),
    },
    latency: tickTotal > 0 ? { p50Ms: last.latency.p50Ms, p99Ms: last.latency.p99Ms } : base.latency,
    run: run.view,
    nowMs,
  };
}
