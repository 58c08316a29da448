import type { AlgorithmName, AlgorithmOptions } from './algorithms/algorithm.js';

export interface BackendSpec {
  readonly name: string;
  /** Base URL, e.g. http://127.0.0.1:9001 or http://server1:3000. */
  readonly url: string;
  readonly weight?: number;
}

export interface HealthCheckOptions {
  readonly enabled: boolean;
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures that take a server down. */
  readonly fall: number;
  /** Consecutive successes that bring it back. */
  readonly rise: number;
}

export interface BalancerConfig {
  readonly host: string;
  readonly port: number;
  readonly adminHost: string;
  readonly adminPort: number;
  readonly algorithm: AlgorithmName;
  readonly algorithmOptions: AlgorithmOptions;
  /** Query parameter used as the hash key (consistent-hash, maglev). */
  readonly hashKeyParam: string;
  readonly servers: readonly BackendSpec[];
  readonly health: HealthCheckOptions;
  /** Time allowed for an upstream to start answering before 504. */
  readonly upstreamTimeoutMs: number;
  /** first-available: how long a request may wait in the queue before 503. */
  readonly queueTimeoutMs: number;
  /** first-available: requests that may wait in the queue at once; more get 503 at once (default 1000). */
  readonly queueMaxLength?: number;
  /** URL for servers added by hostname only (POST /add {"hostnames":["s4"]}); `{name}` is replaced. */
  readonly serverUrlTemplate?: string;
}

export const DEFAULT_HEALTH: HealthCheckOptions = {
  enabled: true,
  path: '/health',
  intervalMs: 500,
  timeoutMs: 300,
  fall: 2,
  rise: 2,
};

export const DEFAULT_CONFIG: BalancerConfig = {
  host: '127.0.0.1',
  port: 8080,
  adminHost: '127.0.0.1',
  adminPort: 8081,
  algorithm: 'round-robin',
  algorithmOptions: {},
  hashKeyParam: 'id',
  servers: [],
  health: DEFAULT_HEALTH,
  upstreamTimeoutMs: 10_000,
  queueTimeoutMs: 5_000,
  queueMaxLength: 1_000,
};

/** What GET /stats on the admin port returns; the CLI and the dashboard read it. */
export interface BalancerStats {
  readonly algorithm: AlgorithmName;
  readonly uptimeMs: number;
  readonly totals: { readonly requests: number; readonly errors: number; readonly inFlight: number };
  readonly servers: readonly ServerStats[];
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
}

/** One event on GET /events (server-sent events, `data:` is this JSON). */
export interface BalancerEvent {
  readonly type: 'health' | 'added' | 'removed' | 'algorithm' | 'ejected' | 'retry-budget';
  /** Epoch ms. */
  readonly at: number;
  readonly server?: string;
  readonly health?: ServerHealth;
  readonly detail?: string;
}
