import http from 'node:http';
import https from 'node:https';

import type { Pool } from 'undici';

import type { Candidate } from '../algorithms/algorithm.js';
import type { BackendSpec } from '../config/config.js';
import type { ServerHealth, ServerStats } from '../api-types.js';
import { LatencyTracker } from './latency-tracker.js';
import type { ServerMetrics } from '../metrics/metrics.js';
import { connectionPool } from './undici-pool.js';

/**
 * Upstream connections kept per server (keep-alive); more requests wait in the pool's queue.
 * A server ends up with as many as it ever had requests in flight at once, plus
 * one spare undici Client (Pool.dispatch looks for a free one after each dispatch,
 * creating it when there is none), and keeps them until the keep-alive timeout.
 * Under round-robin a server that stalls collects requests until it holds nearly
 * all of them, so with 50 client connections each of 3 servers can reach ~40-50.
 * A lower cap (16 or 32 per server) made no measurable difference to CPU per request
 * (issue 16), and would make requests queue inside the balancer when a server is
 * slow, hiding what the lab is there to show; hence the high cap.
 */
export const UPSTREAM_MAX_CONNECTIONS = 512;
/**
 * Idle keep-alive connections are closed after this when the server does not
 * say how long it keeps them (a Node server's default is 5 s).
 */
export const UPSTREAM_IDLE_CONNECTION_MS = 4_000;
/**
 * When the server does say (`Keep-Alive: timeout=65` from the sample
 * servers), undici keeps them 2 s less than that, and at most this long.
 */
export const UPSTREAM_MAX_IDLE_CONNECTION_MS = 30_000;

/** A request in flight on a server, which the data path cuts when the server is marked down. */
export interface Session {
  /** The server was marked down (`reason` says why): fail over now, or answer the client at once. */
  shutdown(reason: string): void;
}

/** For health checks and fault forwarding: one request on a fresh connection (node:http). */
export type RequestFunction = typeof http.request;

export interface BackendOptions {
  readonly health: ServerHealth;
  /** Time allowed to open a connection (undici's connect timeout). */
  readonly connectTimeoutMs: number;
  /** Epoch ms, for healthChangedAt. */
  readonly nowMs: number;
  readonly metrics: ServerMetrics;
}

/**
 * One upstream server: where it is, its pool of keep-alive connections, its health and
 * counters. It is the Candidate handed to the algorithms as it is, so the
 * hot path builds no per-request objects for picking.
 */
export class Backend implements Candidate {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  inFlight = 0;
  latencyEwmaMs = 0;
  /** Monotonic ms when a request here last ended (first-available's queue of idle servers). */
  releasedAtMs: number | undefined;

  /** Effective health: `ejected` while passively ejected, else what the active checks say. */
  health: ServerHealth;
  /** What the active checks say (`up` when they are off); kept while the server is ejected. */
  checkedHealth: 'up' | 'down';
  healthChangedAt: number;
  /** Consecutive 5xx answers, connection errors and timeouts on real traffic (passive ejection). */
  consecutiveFailures = 0;
  /** Epoch ms when the current ejection ends; undefined when not ejected. */
  ejectedUntil: number | undefined;
  /** Times passive detection ejected this server. */
  ejections = 0;
  /** True once the server has been up; before that one passed check brings it up. */
  everUp: boolean;
  /** Removed from the pool; its connections close as their last requests end. */
  retired = false;

  requests = 0;
  successes = 0;
  errors = 0;
  readonly latency = new LatencyTracker();
  /** Requests in flight here (HAProxy's sessions), cut when the server is marked down. */
  readonly sessions = new Set<Session>();

  readonly hostname: string;
  readonly port: number;
  /** Path prefix of the URL without a trailing slash ('' for `http://host:port`). */
  readonly basePath: string;
  /**
   * Keep-alive connections for proxied requests. Time limits are the data
   * path's own (upstreamTimeoutMs until the response headers; none for the
   * body, as a stream may be long), so undici's are off, except the connect
   * timeout (HAProxy's `timeout connect`): a dead address fails in about a second.
   */
  readonly connections: Pool;
  readonly request: RequestFunction;
  readonly metrics: ServerMetrics;

  constructor(spec: BackendSpec, options: BackendOptions) {
    this.name = spec.name;
    this.url = spec.url;
    this.weight = spec.weight ?? 1;
    this.health = options.health;
    this.checkedHealth = options.health === 'up' ? 'up' : 'down';
    this.healthChangedAt = options.nowMs;
    this.everUp = options.health === 'up';
    this.metrics = options.metrics;

    const url = new URL(spec.url);
    const secure = url.protocol === 'https:';
    this.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
    this.basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
    this.connections = connectionPool(url.origin, {
      connections: UPSTREAM_MAX_CONNECTIONS,
      pipelining: 1,
      keepAliveTimeout: UPSTREAM_IDLE_CONNECTION_MS,
      keepAliveMaxTimeout: UPSTREAM_MAX_IDLE_CONNECTION_MS,
      headersTimeout: 0,
      bodyTimeout: 0,
      connectTimeout: options.connectTimeoutMs,
    });
    this.request = (secure ? https.request : http.request) as RequestFunction;
  }

  /** Takes an in-flight slot; pair with release() on every completion path. */
  acquire(): void {
    this.inFlight++;
    this.requests++;
  }

  release(): void {
    this.inFlight--;
    this.releasedAtMs = performance.now();
  }

  recordLatency(latencyMs: number): void {
    this.latency.record(latencyMs);
    this.latencyEwmaMs = this.latency.ewmaMs;
    this.metrics.observeLatencyMs(latencyMs);
  }

  /** Closes the connections: at once when idle, else as the requests on them end (undici's close() waits for them). */
  retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.connections.close().catch(() => {
      // Closing cannot fail in a way that matters: the server is gone from the pool.
    });
  }

  stats(): ServerStats {
    return {
      name: this.name,
      url: this.url,
      weight: this.weight,
      health: this.health,
      requests: this.requests,
      successes: this.successes,
      errors: this.errors,
      inFlight: this.inFlight,
      avgLatencyMs: round(this.latency.averageMs()),
      p99LatencyMs: round(this.latency.p99Ms()),
      healthChangedAt: this.healthChangedAt,
      ...(this.ejectedUntil === undefined ? {} : { ejectedUntil: this.ejectedUntil }),
      ejections: this.ejections,
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
