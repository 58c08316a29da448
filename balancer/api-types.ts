// The admin API's wire types: what GET /stats and GET /events return.
// The balancer writes them and the CLI, the dashboard and the scenario runner read them.
import type { AlgorithmName } from './algorithms/algorithm.js';
/** What GET /stats on the admin port returns; the CLI and the dashboard read it. */
export interface BalancerStats {
  readonly algorithm: AlgorithmName;
  readonly uptimeMs: number;
  readonly totals: { readonly requests: number; readonly errors: number; readonly inFlight: number };
  readonly servers: readonly ServerStats[];
  /** Retries, fan-out and ejection counters since start (balancers before issue 4 leave it out). */
  readonly resilience?: ResilienceStats;
  /** The balancer's own event loop over the last window (about 1 s); absent before the first window ends. */
  readonly saturation?: SaturationStats;
  /** `tcp` when the balancer relays connections (layer 4); left out in http mode. */
  readonly mode?: 'http' | 'tcp';
  /** Connections and bytes relayed since start (tcp mode only). */
  readonly connections?: ConnectionTotals;
  /**
   * With `workers` above 1 (balancer/cluster/): the processes that run the data path and what
   * each counted; the other fields are their sums. Left out for a single-process balancer.
   */
  readonly workers?: readonly WorkerStats[];
}

/** One data-path process of a balancer run with several workers. */
export interface WorkerStats {
  /** 1..N; a restarted worker keeps its number. */
  readonly worker: number;
  readonly pid: number;
  /** Requests it answered (tcp mode: connections it relayed). */
  readonly requests: number;
  readonly inFlight: number;
  /** Times this worker died and was started again. */
  readonly restarts: number;
  /** False while it is starting (again): its counts are missing from the sums. */
  readonly answered: boolean;
}

/** Tcp mode: the balancer's connection counts since start. */
export interface ConnectionTotals {
  /** Client connections relayed to a server now. */
  readonly open: number;
  /** Client connections relayed to a server since start. */
  readonly total: number;
  /** Client connections waiting for a server (first-available at capacity). */
  readonly queued: number;
  /** Client connections closed without a server: none healthy, queue full or timed out, every connect failed. */
  readonly refused: number;
  /** Bytes from clients to servers. */
  readonly bytesToServers: number;
  /** Bytes from servers to clients. */
  readonly bytesToClients: number;
}

export interface ResilienceStats {
  /** Retries sent to another server. */
  readonly retries: number;
  /** Retries the retry budget refused. */
  readonly retryBudgetRefusals: number;
  /** Retries in progress (backoff wait or attempt). */
  readonly retriesActive: number;
  /** Fan-out requests answered: with a 2xx, with 502 after the deadline. */
  readonly fanoutSuccesses: number;
  readonly fanoutFailures: number;
  /** Rounds of all fan-out requests together. */
  readonly fanoutRounds: number;
  /** Passive ejections. */
  readonly ejections: number;
}

export type ServerHealth = 'up' | 'down' | 'ejected';

export interface ServerStats {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  readonly health: ServerHealth;
  readonly requests: number;
  readonly successes: number;
  readonly errors: number;
  readonly inFlight: number;
  readonly avgLatencyMs: number;
  readonly p99LatencyMs: number;
  /** Epoch ms of the last health change. */
  readonly healthChangedAt: number;
  /** Epoch ms when the current ejection ends (only while ejected). */
  readonly ejectedUntil?: number;
  /** Times passive detection ejected this server. */
  readonly ejections?: number;
  /** Tcp mode: client connections relayed to this server now (also in `inFlight`) and since start. */
  readonly openConnections?: number;
  readonly connections?: number;
  /** Tcp mode: connects to this server that failed (refused, timed out); the client was sent to another server when one was left. */
  readonly connectFailures?: number;
  /** Tcp mode: bytes relayed to this server, and from it to clients. */
  readonly bytesToServer?: number;
  readonly bytesToClient?: number;
}

/** One event on GET /events (server-sent events, `data:` is this JSON). */
export interface BalancerEvent {
  /** `worker`: a data-path process died and was started again (several workers only). */
  readonly type: 'health' | 'added' | 'removed' | 'algorithm' | 'ejected' | 'retry-budget' | 'worker';
  /** Epoch ms. */
  readonly at: number;
  readonly server?: string;
  readonly health?: ServerHealth;
  readonly detail?: string;
  /** retry-budget: refusals this event stands for (refusals within a second are reported together). */
  readonly count?: number;
}

/**
 * How busy a process's own event loop was over a window. When it is
 * saturated, latencies and counts describe lblab's limits, not the servers'
 * or the algorithm's, and every report says so.
 */
export interface SaturationStats {
  /** Event-loop utilisation over the window, 0..1. */
  readonly eventLoopUtilization: number;
  /** p99 of the event-loop delay over the window, ms. */
  readonly eventLoopDelayP99Ms: number;
  readonly windowMs: number;
  /** eventLoopUtilization > SATURATION_LIMITS.eventLoopUtilization or delay p99 > SATURATION_LIMITS.eventLoopDelayP99Ms. */
  readonly saturated: boolean;
}
