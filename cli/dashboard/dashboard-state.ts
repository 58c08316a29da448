import type { ServerHealth } from '../../balancer/api-types.js';
import type { MemberState } from '../runtime/runtime.js';

/** Whether the dashboard can reach the balancer's admin API. */
export type ConnectionState =
  | { readonly status: 'connecting'; readonly sinceMs: number }
  | { readonly status: 'live'; readonly sinceMs: number }
  /** Unreachable since `sinceMs` (epoch ms); the feed keeps retrying. */
  | { readonly status: 'lost'; readonly sinceMs: number; readonly reason: string; readonly attempts: number };

export type EventTone = 'info' | 'good' | 'bad' | 'warn' | 'action';

/** One line of the event log: a balancer event or the outcome of a key the user pressed. */
export interface EventLine {
  /** Epoch ms. */
  readonly atMs: number;
  /** Main text, e.g. `server2 up -> down`. */
  readonly text: string;
  /** Secondary text shown dimmed, e.g. `2 failed checks: ECONNREFUSED`. */
  readonly detail?: string;
  readonly tone: EventTone;
}

export interface ServerLatency {
  /** `avg` from the balancer's /stats, `p50` from the load generator's ticks. */
  readonly kind: 'avg' | 'p50';
  readonly centerMs: number;
  readonly p99Ms: number;
}

export interface ServerRow {
  readonly name: string;
  /** What the runtime says; `unknown` when there is no runtime to ask (a run against a URL). */
  readonly state: MemberState | 'unknown';
  /** What the balancer says; `unknown` when it cannot be asked. */
  readonly health: ServerHealth | 'unknown';
  /** Known to the balancer (listed in /stats). */
  readonly registered: boolean;
  readonly requests: number;
  readonly errors: number;
  readonly inFlight: number;
  /** Share of recent traffic, 0..1 (of all traffic when nothing flowed recently). */
  readonly share: number;
  readonly ratePerSec: number;
  /** Requests per second, oldest first, one point per history interval (bounded). */
  readonly rateHistory: readonly number[];
  readonly latency: ServerLatency | undefined;
}

/** What the run command reports while a scenario runs. */
export interface RunProgress {
  /** Name of the current phase. */
  readonly phase: string;
  /** 0-based. */
  readonly phaseIndex: number;
  readonly phaseCount: number;
  /** Since the run started. */
  readonly elapsedMs: number;
  /** Since this phase started; the progress line shows this one when set, beside the phase's own percentage. */
  readonly phaseElapsedMs?: number;
  /** Planned length of the whole run; leave out when the run is bounded by a request count. */
  readonly totalMs?: number;
  /** Closed model: requests done and planned, used for the bar when totalMs is unknown. */
  readonly requestsDone?: number;
  readonly requestsTotal?: number;
}

export interface ThresholdOutcome {
  readonly name: string;
  readonly passed: boolean;
  readonly detail?: string;
}

/** The totals shown at the end of a run. A cli/load LoadResult fits as it is. */
export interface RunSummary {
  readonly requests: number;
  readonly errors: number;
  readonly durationMs: number;
  readonly dropped?: number;
  readonly latency: { readonly p50Ms: number; readonly p90Ms?: number; readonly p99Ms: number; readonly maxMs?: number };
  readonly byServer: Readonly<Record<string, { readonly requests: number; readonly errors: number }>>;
  readonly thresholds?: readonly ThresholdOutcome[];
  /** Set when lblab's own generator or balancer was saturated: the sentence that says so. */
  readonly saturation?: string;
}

/** A phase that has ended, with what was sent during it. */
export interface FinishedPhase {
  readonly index: number;
  readonly name: string;
  readonly durationMs: number;
  readonly requests: number;
  readonly errors: number;
}

export interface RunView {
  readonly scenario: string;
  readonly progress: RunProgress | undefined;
  readonly finishedPhases: readonly FinishedPhase[];
  readonly summary: RunSummary | undefined;
  /** Where the run's results were written. */
  readonly resultsDir: string | undefined;
}

/** One immutable snapshot of everything the dashboard shows. */
export interface DashboardState {
  readonly lab: string | undefined;
  readonly runtime: string | undefined;
  readonly algorithm: string;
  /** Undefined when there is no balancer to ask (a run against a plain URL). */
  readonly connection: ConnectionState | undefined;
  /** Whether balancer events are streaming (GET /events). */
  readonly eventStream: 'connecting' | 'open' | 'retrying' | 'none';
  readonly totals: {
    readonly ratePerSec: number;
    /** 0..1: of recent requests (of all requests when nothing flowed recently). */
    readonly errorRate: number;
    readonly requests: number;
    readonly errors: number;
    readonly inFlight: number;
  };
  /** Overall latency of the latest tick, known during a run. */
  readonly latency: { readonly p50Ms: number; readonly p99Ms: number } | undefined;
  readonly servers: readonly ServerRow[];
  /** Oldest first, bounded. */
  readonly events: readonly EventLine[];
  /** Epoch ms of this snapshot. */
  readonly nowMs: number;
  readonly run: RunView | undefined;
  /** `tcp` when the balancer relays connections: the counts, rates and shares are of connections, not requests. */
  readonly mode?: 'tcp';
  /** Tcp mode: bytes relayed since the balancer started. */
  readonly bytes?: { readonly toServers: number; readonly toClients: number };
  /** The balancer's event loop is saturated (its /stats says so): the warning line, as run and --live word it. */
  readonly saturation?: string;
}

/** What the Ink app reads: an external store of DashboardState snapshots. */
export interface DashboardSource {
  subscribe(listener: () => void): () => void;
  /** Returns the same object until something changes (useSyncExternalStore). */
  snapshot(): DashboardState;
  /** Adds a line to the event log (outcomes of keys the user pressed). */
  note(text: string, tone?: EventTone, detail?: string): void;
  /** Asks for fresh data now (after an action). */
  refresh?(): void;
}

export function emptyDashboardState(nowMs: number, fields: Partial<DashboardState> = {}): DashboardState {
  return {
    lab: undefined,
    runtime: undefined,
    algorithm: 'unknown',
    connection: undefined,
    eventStream: 'none',
    totals: { ratePerSec: 0, errorRate: 0, requests: 0, errors: 0, inFlight: 0 },
    latency: undefined,
    servers: [],
    events: [],
    nowMs,
    run: undefined,
    ...fields,
  };
}
