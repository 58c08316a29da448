import type { SaturationStats } from '../../balancer/api-types.js';

/** The lab a run was made against. */
export interface RunLab {
  /** Balancer algorithm, e.g. `round-robin`; for a run of several passes, one per pass in order. */
  readonly algorithm: string | readonly string[];
  /** Server names in the lab at the start; each appears in `servers` even with 0 requests. */
  readonly servers: readonly string[];
  readonly app?: string;
  readonly runtime?: string;
  /** The pass's name, for runs whose passes each have a lab of their own (scenario `passes`). */
  readonly pass?: string;
  /** The balancer's mode, when the pass set it: `tcp` relays connections, `http` proxies requests. */
  readonly mode?: 'http' | 'tcp';
  /** The load's connection policy, when the pass set it. */
  readonly connection?: 'keep-alive' | 'new';
}

/** Tcp mode: client connections the balancer relayed during the run, per server (from its /stats). */
export interface RunConnections {
  readonly total: number;
  readonly byServer: Readonly<Record<string, number>>;
}

/** A scenario action, `atMs` after the load started. */
export interface RunAction {
  readonly atMs: number;
  /** kill, revive, pause, unpause, add, rm, fault, algorithm... */
  readonly action: string;
  /** Server name, or the algorithm's name for `algorithm`. */
  readonly target: string;
}

/** A health change the balancer reported, `atMs` after the load started. */
export interface RunHealthChange {
  readonly atMs: number;
  readonly server: string;
  /** `up` or `down` (other states are shown as they are). */
  readonly health: string;
}

export interface RunThreshold {
  /** e.g. `errors.rate`, `latency.p99Ms`. */
  readonly name: string;
  /** e.g. `< 0.01`. */
  readonly expected: string;
  readonly measured: number | string;
  readonly pass: boolean;
}

export interface RunServerSummary {
  readonly name: string;
  readonly requests: number;
  /** requests / totals.requests, 0..1, rounded to 4 decimals. */
  readonly share: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  /** Absent in summaries written before it was added. */
  readonly p999Ms?: number;
  readonly maxMs: number;
}

/** One tick (normally one second) of the run; `atMs` is the end of the tick. */
export interface RunSeriesPoint {
  readonly atMs: number;
  readonly intervalMs: number;
  /** Responses in this tick per server; every server of `servers` is present (0 when none). */
  readonly byServer: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
}

/** Responses completed in one bucket of the run: [startMs, startMs + widthMs). */
export interface RunTimelineBucket {
  readonly startMs: number;
  /** The bucket width, or less for the last (partial) bucket. */
  readonly widthMs: number;
  readonly byServer: Readonly<Record<string, number>>;
  /** Status >= 500 or no response. */
  readonly errors: number;
  /** 5xx answered by the balancer itself (no X-Server-Id), by status. */
  readonly balancerAnswers: Readonly<Record<string, number>>;
}

/** The run's throughput over time, from every request, in buckets sized to the run (about 50–100 per run, never wider than 1 s). */
export interface RunTimeline {
  readonly bucketMs: number;
  readonly buckets: readonly RunTimelineBucket[];
}

/** One point of an HdrHistogram-style percentile distribution. */
export interface RunPercentilePoint {
  /** 0..100, e.g. 99.9. */
  readonly percentile: number;
  readonly ms: number;
}

export interface RunLatencyDistribution {
  readonly overall: readonly RunPercentilePoint[];
  readonly byServer: Readonly<Record<string, readonly RunPercentilePoint[]>>;
}

/** A load phase on the run's clock. */
export interface RunPhase {
  readonly name: string;
  readonly description: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** What happened around one kill, pause, hang, revive or unpause (times since the action, ms; null when it did not happen). */
export interface RunFailover {
  readonly atMs: number;
  readonly action: string;
  readonly server: string;
  /** `down` for kill, pause, hang; `up` for revive, unpause, clearing a fault. */
  readonly direction: 'down' | 'up';
  /** down: the balancer marked the server down. up: marked it up. */
  readonly markedMs: number | null;
  /** down: the last response the server gave. up: the first one after the action. */
  readonly servedMs: number | null;
  /** down: errors clients got from the action until the later of marked down and last served. */
  readonly errorsLeaked: number;
  /** Those errors by status (`error` for no response). */
  readonly leakedStatuses: Readonly<Record<string, number>>;
  /** Where the window ends, ms since the action (down); for shading. */
  readonly windowEndMs: number | null;
}

/** Keys that changed server at one add or rm with a hashing algorithm. */
export interface RunRemap {
  readonly atMs: number;
  readonly action: 'add' | 'rm';
  readonly server: string;
  /** Keys seen both before and after the change. */
  readonly keysCompared: number;
  readonly keysMoved: number;
  /** keysMoved / keysCompared. */
  readonly movedFraction: number;
  /** Moved keys that went to (add) or came from (rm) the changed server. */
  readonly movedViaChanged: number;
  /** 1 / (servers after an add, or before an rm). */
  readonly idealFraction: number;
  /** Servers in the lab after the change. */
  readonly serversAfter: number;
}

/** One pass of an algorithms run. */
export interface RunPass {
  readonly algorithm: string;
  readonly requests: number;
  readonly errors: number;
  /** Open model: not sent because maxInFlight requests were in flight. */
  readonly dropped: number;
  readonly ratePerSec: number;
  readonly durationMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** Share of requests per server, 0..1. */
  readonly shares: Readonly<Record<string, number>>;
  /** p99 per server, ms. */
  readonly serverP99Ms: Readonly<Record<string, number>>;
}

/**
 * How busy lblab's own event loops were during the run, from windows of
 * about a second. `saturated` when saturated windows last 1.5 s or more in
 * a row (one stalled second is not saturation; the generator's first,
 * start-up window is left out; a shorter run is judged on utilisation
 * alone); the figures are the saturated stretch's, else the worst window's.
 * When either is saturated, the figures of the run reflect lblab's limits,
 * not the servers' or the algorithm's.
 */
export interface RunSaturation {
  /** The load generator (the lblab process). */
  readonly generator: SaturationStats;
  /** The balancer, from its /stats; null when it does not report it (an older balancer, or it never answered). */
  readonly balancer: SaturationStats | null;
}

/** The balancer died during the run: the load stopped there and the figures are partial. */
export interface RunBalancerDeath {
  /** When it was first seen gone, since the load started. */
  readonly atMs: number;
  /** How it was noticed: `the balancer exited (exit code 137)`, `the balancer's admin API stopped answering (ECONNREFUSED)`. */
  readonly reason: string;
}

/** Written as `summary.json` for every run. */
export interface RunSummary {
  readonly scenario: string;
  readonly seed: number | null;
  readonly lab: RunLab;
  /** The balancer that ran: lblab, haproxy or nginx, and its version (kinds joined for a run across balancers). */
  readonly balancer?: { readonly kind: string; readonly version?: string };
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: {
    /** Completed requests (any status, or no response). Equals the sum of servers[*].requests. */
    readonly requests: number;
    /** Status >= 500 or no response. */
    readonly errors: number;
    /** Open model: not sent because maxInFlight was reached. */
    readonly dropped: number;
    /** In flight when the run was cut short. */
    readonly cancelled: number;
    /** requests / durationMs, per second, 1 decimal. */
    readonly ratePerSec: number;
  };
  /**
   * Sorted by name, naturally (server2 before server10). `(none)` (responses without X-Server-Id) and
   * `(no response)` (requests that got none) are buckets, not servers, and come last.
   */
  readonly servers: readonly RunServerSummary[];
  /** By status code; `error` for requests with no response. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Requests with no response, by error code. */
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly latency: { readonly p50Ms: number; readonly p90Ms: number; readonly p99Ms: number; readonly p999Ms?: number; readonly maxMs: number; readonly meanMs: number };
  readonly series: readonly RunSeriesPoint[];
  readonly actions: readonly RunAction[];
  readonly healthChanges: readonly RunHealthChange[];
  readonly thresholds: readonly RunThreshold[];
  /** Absent in summaries written before lblab measured its own saturation. */
  readonly saturation?: RunSaturation;
  /** Present only when the balancer died during the run. */
  readonly balancerDied?: RunBalancerDeath;
  /** Tcp mode only: the connections behind the requests, per server. */
  readonly connections?: RunConnections;
  // Fields below are absent from older summaries (and from runs without a request log).
  readonly timeline?: RunTimeline;
  readonly latencyDistribution?: RunLatencyDistribution;
  readonly phases?: readonly RunPhase[];
  /** Faults active from the start (lab.faults), per server, as text. */
  readonly initialFaults?: Readonly<Record<string, string>>;
  /** POST fan-out was on for this run's requests: one request reaches every server, an even share means nothing. */
  readonly fanout?: boolean;
  readonly failover?: readonly RunFailover[];
  readonly remap?: readonly RunRemap[];
  /** One row per algorithm of an `algorithms` run. */
  readonly passes?: readonly RunPass[];
  /** The schedule file written by --record, relative to the results folder. */
  readonly recording?: string;
  /** Set when a signal (or the live view's q) stopped the run: the figures cover what was measured until then. */
  readonly interrupted?: true;
}
