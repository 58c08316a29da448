import type { AlgorithmName, AlgorithmOptions } from '../algorithms/algorithm.js';

export interface BackendSpec {
  readonly name: string;
  /** Base URL, e.g. http://127.0.0.1:9001 or http://server1:3000. */
  readonly url: string;
  readonly weight?: number;
}

/** `http`: lblab proxies each HTTP request; `tcp`: it relays each client connection to one server (layer 4). */
export type BalancerMode = 'http' | 'tcp';

/** `http`: GET `path` must answer 2xx/3xx; `tcp`: a TCP connect must succeed (HAProxy's `check` in `mode tcp`). */
export type HealthCheckKind = 'http' | 'tcp';

export interface HealthCheckOptions {
  readonly enabled: boolean;
  /** What a check does; `http` when left out (parseBalancerConfig makes it `tcp` in tcp mode unless set). */
  readonly check?: HealthCheckKind;
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failures that take a server down. */
  readonly fall: number;
  /** Consecutive successes that bring it back. */
  readonly rise: number;
  /** Interval while a server is changing state (failed once while up, passed once while down), like HAProxy's `fastinter`. Default: min(100, intervalMs). */
  readonly fastIntervalMs?: number;
  /** Interval while a server is down, like HAProxy's `downinter`. Default: min(250, intervalMs). */
  readonly downIntervalMs?: number;
}

/** A request rule: `method` (upper case) and `path` (exact, or a prefix when it ends in `*`), query ignored. */
export interface RouteRule {
  readonly method: string;
  readonly path: string;
}

/** POST fan-out: matching requests go to several servers at once; the first 2xx wins. */
export interface FanoutOptions {
  readonly enabled: boolean;
  readonly routes: readonly RouteRule[];
  /** `all` healthy servers, or N of them (rotating). */
  readonly servers: 'all' | number;
  /** Backoff between rounds: sleep = random(0, min(capMs, baseMs * 2^round)). */
  readonly baseMs: number;
  readonly capMs: number;
  /** Total time from the request's arrival; then 502 with the attempts. */
  readonly deadlineMs: number;
  /** Larger request bodies get 413 (the body is held to replay it). */
  readonly maxBodyBytes: number;
}

/** Retries of ordinary requests on another server. */
export interface RetryOptions {
  /** Retries per request (0 = off). */
  readonly count: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Retries in progress may be at most this share of the active requests... */
  readonly budgetPercent: number;
  /** ...or this many, whichever is more. */
  readonly minRetryConcurrency: number;
  /** Bodies of retryable requests up to this size are held so they can be replayed; larger ones are streamed and not retried. */
  readonly maxBodyBytes: number;
  /** Routes retried even though their method is not idempotent (e.g. POST /orders with an idempotency key). */
  readonly routes: readonly RouteRule[];
}

/** Passive ejection (outlier detection) on real traffic. */
export interface OutlierOptions {
  readonly enabled: boolean;
  /** Consecutive 5xx answers, connection errors or timeouts that eject a server. */
  readonly consecutive5xx: number;
  /** The n-th ejection in a row lasts baseEjectionMs * n... */
  readonly baseEjectionMs: number;
  /** ...at most this long. */
  readonly maxEjectionMs: number;
  /** At most this share of the servers is ejected at once (at least one when there are two or more servers). */
  readonly maxEjectionPercent: number;
}

export interface BalancerConfig {
  /** `http` when left out. */
  readonly mode?: BalancerMode;
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
  /** Time allowed to open a connection to a server (HAProxy's `timeout connect`); a failed connect is retried elsewhere (default 1000). */
  readonly connectTimeoutMs?: number;
  /**
   * When the health checks mark a server down, its requests in flight fail at
   * once (HAProxy's `on-marked-down shutdown-sessions`): retried elsewhere when
   * they may be, else 502 (default true).
   */
  readonly shutdownSessions?: boolean;
  /** Also serve the admin API's seed routes (GET /rep, POST /add, DELETE /rm) on the data port, as seed 001 did. Default false. */
  readonly seedApi?: boolean;
  /**
   * Processes that run the data path (node:cluster, sharing the data port); `auto` is one per core.
   * 1 (the default) is the single-process balancer, without cluster. See balancer/cluster/.
   */
  readonly workers?: number | 'auto';
  /** Client connections open at once on the data port (HAProxy's `maxconn`); more get 503 at once (default 4096). */
  readonly maxConnections?: number;
  /** first-available: how long a request may wait in the queue before 503. */
  readonly queueTimeoutMs: number;
  /** first-available: requests that may wait in the queue at once; more get 503 at once (default 1000). */
  readonly queueMaxLength?: number;
  /** URL for servers added by hostname only (POST /add {"hostnames":["s4"]}); `{name}` is replaced. */
  readonly serverUrlTemplate?: string;
  readonly fanout: FanoutOptions;
  readonly retries: RetryOptions;
  readonly outlier: OutlierOptions;
  /**
   * When set, every admin route needs `Authorization: Bearer <adminToken>`, and
   * fault requests forwarded to the servers carry it. main.ts reads it from
   * the environment (LBLAB_TOKEN), never from the command line or the config JSON.
   */
  readonly adminToken?: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 1_000;
export const DEFAULT_MAX_CONNECTIONS = 4_096;

export const DEFAULT_HEALTH: HealthCheckOptions = {
  enabled: true,
  path: '/health',
  intervalMs: 500,
  timeoutMs: 300,
  fall: 2,
  rise: 2,
};

export const DEFAULT_FANOUT: FanoutOptions = {
  enabled: true,
  routes: [
    { method: 'POST', path: '/register' },
    { method: 'POST', path: '/changePassword' },
  ],
  servers: 'all',
  baseMs: 25,
  capMs: 250,
  deadlineMs: 10_000,
  maxBodyBytes: 16 * 1024 * 1024,
};

export const DEFAULT_RETRIES: RetryOptions = {
  count: 2,
  baseMs: 25,
  capMs: 250,
  budgetPercent: 20,
  minRetryConcurrency: 3,
  maxBodyBytes: 1024 * 1024,
  routes: [],
};

export const DEFAULT_OUTLIER: OutlierOptions = {
  enabled: true,
  consecutive5xx: 5,
  baseEjectionMs: 5_000,
  maxEjectionMs: 30_000,
  maxEjectionPercent: 50,
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
  connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
  shutdownSessions: true,
  maxConnections: DEFAULT_MAX_CONNECTIONS,
  fanout: DEFAULT_FANOUT,
  retries: DEFAULT_RETRIES,
  outlier: DEFAULT_OUTLIER,
};
