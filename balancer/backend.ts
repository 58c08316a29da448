import http from 'node:http';
import https from 'node:https';

import type { Candidate } from './algorithms/algorithm.js';
import type { BackendSpec, ServerHealth, ServerStats } from './config.js';
import { LatencyTracker } from './latency-tracker.js';
import type { ServerMetrics } from './metrics.js';

/** Upstream connections kept per server (keep-alive); more requests wait in the agent. */
export const UPSTREAM_MAX_SOCKETS = 512;
/** Idle keep-alive sockets are closed after this, before a Node upstream's default 5 s keepAliveTimeout. */
export const UPSTREAM_IDLE_SOCKET_MS = 4_000;

export type RequestFunction = typeof http.request;

export interface BackendOptions {
  readonly health: ServerHealth;
  /** Epoch ms, for healthChangedAt. */
  readonly nowMs: number;
  readonly metrics: ServerMetrics;
}

/**
 * One upstream server: where it is, its keep-alive agent, its health and
 * counters. It is the Candidate handed to the algorithms as it is, so the
 * hot path builds no per-request objects for picking.
 */
export class Backend implements Candidate {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  inFlight = 0;
  latencyEwmaMs = 0;

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
  /** Removed from the pool; the agent is closed when the last in-flight request ends. */
  retired = false;

  requests = 0;
  successes = 0;
  errors = 0;
  readonly latency = new LatencyTracker();

  readonly hostname: string;
  readonly port: number;
  /** Path prefix of the URL without a trailing slash ('' for `http://host:port`). */
  readonly basePath: string;
  readonly agent: http.Agent;
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
    const agentOptions = { keepAlive: true, maxSockets: UPSTREAM_MAX_SOCKETS, timeout: UPSTREAM_IDLE_SOCKET_MS };
    this.agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.request = (secure ? https.request : http.request) as RequestFunction;
  }

  /** Takes an in-flight slot; pair with release() on every completion path. */
  acquire(): void {
    this.inFlight++;
    this.requests++;
  }

  release(): void {
    this.inFlight--;
    if (this.retired && this.inFlight === 0) this.agent.destroy();
  }

  recordLatency(latencyMs: number): void {
    this.latency.record(latencyMs);
    this.latencyEwmaMs = this.latency.ewmaMs;
    this.metrics.observeLatencyMs(latencyMs);
  }

  retire(): void {
    this.retired = true;
    if (this.inFlight === 0) this.agent.destroy();
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
