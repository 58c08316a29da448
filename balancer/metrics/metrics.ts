// Prometheus metrics of one balancer (GET /metrics on the admin port). All
// metric definitions live here. The per-request ones (requests by server,
// status class and route; latency by server) are plain numbers on the hot
// path and become labelled series when /metrics is scraped, so a request
// hashes no labels. The output passes `promtool check metrics` (see
// test/balancer/promtool.test.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';

import type { SaturationStats, ServerHealth } from '../api-types.js';
import { LatencyHistogram, type LatencyBuckets } from './latency-buckets.js';

/**
 * `code_class` label values by status / 100; index 6 is a request its client
 * abandoned before the answer, 7 a fan-out attempt cancelled because another
 * server answered first.
 */
export const CODE_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx', 'aborted', 'cancelled'] as const;
const ABORTED_INDEX = 6;
const CANCELLED_INDEX = 7;
/** Distinct `route` label values kept; later routes are counted as `other`. */
export const MAX_ROUTES = 50;
/** `server` label for requests that no server took (503 no healthy server, queue timeout). */
export const NO_SERVER = 'none';
export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Why the balancer itself answered with an error. */
export type FailureReason =
  | 'upstream_failed'
  | 'upstream_timeout'
  | 'no_healthy_server'
  | 'queue_timeout'
  | 'queue_full'
  | 'fanout_deadline'
  | 'body_too_large'
  | 'max_connections';

/** Why a request was retried. */
export type RetryReason = 'connect_error' | 'status_502' | 'status_503' | 'marked_down';
/** Why a failed request that could have been retried was not (budget refusals are counted apart). */
export type RetrySkipReason = 'exhausted' | 'no_other_server' | 'body_not_replayable';
/** `rejected`: every server of a round answered a 4xx, and the client got one of those answers. */
export type FanoutOutcome = 'success' | 'failure' | 'aborted' | 'rejected';
/** One fan-out attempt: the status class, or what went wrong. */
export type FanoutAttemptResult = '2xx' | '3xx' | '4xx' | '5xx' | 'error' | 'timeout' | 'cancelled';

export const FANOUT_ROUND_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100];
export const BACKOFF_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface ServerGaugeSource {
  readonly name: string;
  readonly inFlight: number;
  readonly health: ServerHealth;
}

export interface MetricsSources {
  servers(): readonly ServerGaugeSource[];
  queueLength(): number;
  /** Retries in progress (the retry budget's count). */
  retriesActive?(): number;
  /** The balancer's event loop over the last window (about 1 s). */
  saturation?(): SaturationStats | undefined;
}

/** prom-client's defaults that promtool rejects (gauges named `_total`); CPU and memory metrics stay. */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

type RequestLabels = 'server' | 'code_class' | 'route';

let processRegistry: Registry | undefined;

/** Default process metrics (CPU, memory, event loop) are per process: one registry for all balancers. */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of LINT_FAILING_DEFAULTS) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

export class BalancerMetrics {
  readonly registry = new Registry();
  /** Per server name, for the life of the balancer (a server removed and added again counts on). */
  private readonly servers = new Map<string, ServerMetrics>();
  private readonly duration: LatencyHistogram;
  private readonly healthChanges: Counter<'server' | 'to'>;
  private readonly failures: Counter<'reason'>;
  private readonly retries: Counter<'reason'>;
  private readonly retriesSkipped: Counter<'reason'>;
  private readonly budgetRefusals: Counter;
  private readonly fanoutRequests: Counter<'outcome'>;
  private readonly fanoutRounds: Histogram<'outcome'>;
  private readonly fanoutAttempts: Counter<'server' | 'result'>;
  private readonly fanoutBackoff: Histogram;
  private readonly ejections: Counter<'server'>;
  private readonly routes = new Set<string>();
  private sources: MetricsSources | undefined;

  constructor() {
    const registers = [this.registry];
    const metrics = this;
    new Counter({
      name: 'lblab_requests_total',
      help: 'Requests answered, by server, status class and first path segment',
      labelNames: ['server', 'code_class', 'route'],
      registers,
      collect() {
        this.reset();
        for (const server of metrics.servers.values()) server.collectInto(this);
      },
    });
    this.duration = new LatencyHistogram({
      name: 'lblab_request_duration_seconds',
      help: 'Time from sending a request upstream to the end of its response',
      boundsS: LATENCY_BUCKETS_S,
      series: () => Array.from(metrics.servers.values(), (server) => [server.server, server.latency] as const),
    });
    this.duration.register(this.registry);
    this.healthChanges = new Counter({
      name: 'lblab_health_changes_total',
      help: 'Health changes of servers, by the health they changed to',
      labelNames: ['server', 'to'],
      registers,
    });
    this.failures = new Counter({
      name: 'lblab_balancer_failures_total',
      help: 'Responses the balancer generated itself (502, 503, 504), by reason',
      labelNames: ['reason'],
      registers,
    });
    this.retries = new Counter({
      name: 'lblab_retries_total',
      help: 'Requests sent again to another server, by what failed (connection error or reset before any response byte, 502, 503, server marked down)',
      labelNames: ['reason'],
      registers,
    });
    this.retriesSkipped = new Counter({
      name: 'lblab_retries_skipped_total',
      help: 'Failed retryable requests not retried: retries used up, no other healthy server, body too large to replay',
      labelNames: ['reason'],
      registers,
    });
    this.budgetRefusals = new Counter({
      name: 'lblab_retry_budget_refusals_total',
      help: 'Retries refused because the retry budget was used up',
      registers,
    });
    this.fanoutRequests = new Counter({
      name: 'lblab_fanout_requests_total',
      help: 'Fan-out requests, by outcome: a 2xx answer, 502 after the deadline, a 4xx from every server (rejected), or the client left',
      labelNames: ['outcome'],
      registers,
    });
    this.fanoutRounds = new Histogram({
      name: 'lblab_fanout_rounds',
      help: 'Rounds a fan-out request took, by outcome',
      labelNames: ['outcome'],
      buckets: FANOUT_ROUND_BUCKETS,
      registers,
    });
    this.fanoutAttempts = new Counter({
      name: 'lblab_fanout_attempts_total',
      help: 'Fan-out attempts, by server and result (status class, error, timeout, or cancelled after another server won)',
      labelNames: ['server', 'result'],
      registers,
    });
    this.fanoutBackoff = new Histogram({
      name: 'lblab_fanout_backoff_seconds',
      help: 'Waits between fan-out rounds (exponential backoff with full jitter)',
      buckets: BACKOFF_BUCKETS_S,
      registers,
    });
    this.ejections = new Counter({
      name: 'lblab_ejections_total',
      help: 'Passive ejections of servers (consecutive 5xx answers, connection errors or timeouts)',
      labelNames: ['server'],
      registers,
    });
    new Gauge({
      name: 'lblab_retries_active',
      help: 'Retries in progress (waiting for their backoff or sent), which the retry budget limits',
      registers,
      collect() {
        this.set(metrics.sources?.retriesActive?.() ?? 0);
      },
    });
    new Gauge({
      name: 'lblab_server_ejected',
      help: '1 while the server is passively ejected',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const server of metrics.sources?.servers() ?? []) this.set({ server: server.name }, server.health === 'ejected' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'lblab_in_flight_requests',
      help: 'Requests sent to a server and not yet answered',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const server of metrics.sources?.servers() ?? []) this.set({ server: server.name }, server.inFlight);
      },
    });
    new Gauge({
      name: 'lblab_server_up',
      help: '1 when the server is up (takes requests), 0 when down or ejected',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        for (const server of metrics.sources?.servers() ?? []) this.set({ server: server.name }, server.health === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'lblab_event_loop_utilization',
      help: "Share of the last window (about 1 s) the balancer's event loop was busy, 0..1; above 0.9 the figures describe the balancer's limits",
      registers,
      collect() {
        this.set(metrics.sources?.saturation?.()?.eventLoopUtilization ?? 0);
      },
    });
    new Gauge({
      name: 'lblab_event_loop_delay_p99_seconds',
      help: "p99 of the balancer's event-loop delay over the last window (about 1 s); above 0.05 s the figures describe the balancer's limits",
      registers,
      collect() {
        this.set((metrics.sources?.saturation?.()?.eventLoopDelayP99Ms ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'lblab_queue_length',
      help: 'Requests waiting for a free server (first-available)',
      registers,
      collect() {
        this.set(metrics.sources?.queueLength() ?? 0);
      },
    });
  }

  /** Where the gauges read their values at scrape time. */
  setSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  forServer(server: string): ServerMetrics {
    let metrics = this.servers.get(server);
    if (metrics === undefined) {
      metrics = new ServerMetrics(server, this.duration.newBuckets());
      this.servers.set(server, metrics);
    }
    return metrics;
  }

  healthChanged(server: string, to: ServerHealth): void {
    this.healthChanges.inc({ server, to });
  }

  failure(reason: FailureReason): void {
    this.failures.inc({ reason });
  }

  retried(reason: RetryReason): void {
    this.retries.inc({ reason });
  }

  retrySkipped(reason: RetrySkipReason): void {
    this.retriesSkipped.inc({ reason });
  }

  retryBudgetRefused(): void {
    this.budgetRefusals.inc();
  }

  fanoutFinished(outcome: FanoutOutcome, rounds: number): void {
    this.fanoutRequests.inc({ outcome });
    this.fanoutRounds.observe({ outcome }, rounds);
  }

  fanoutAttempt(server: string, result: FanoutAttemptResult): void {
    this.fanoutAttempts.inc({ server, result });
  }

  fanoutBackoffMs(waitMs: number): void {
    this.fanoutBackoff.observe(waitMs / 1000);
  }

  ejected(server: string): void {
    this.ejections.inc({ server });
  }

  /** The `route` label of a request target: its first path segment (`/factorial/5?x` → `/factorial`), bounded. */
  route(url: string): string {
    let end = url.length;
    const query = url.indexOf('?');
    if (query !== -1) end = query;
    const slash = url.indexOf('/', 1);
    if (slash !== -1 && slash < end) end = slash;
    if (url.charCodeAt(0) !== 47 /* / */) return 'other';
    const route = end === url.length ? url : url.slice(0, end);
    if (this.routes.has(route)) return route;
    if (this.routes.size >= MAX_ROUTES) return 'other';
    this.routes.add(route);
    return route;
  }

  async text(): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }

  /** The series of text() as prom-client JSON: a cluster's primary merges the workers' (balancer/cluster/). */
  async json(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    return Registry.merge([processMetrics(), this.registry]).getMetricsAsJSON();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The per-request counts of one server, as plain numbers (see collectInto). */
export class ServerMetrics {
  /** Responses by route, then by index in CODE_CLASSES. */
  private readonly byRoute = new Map<string, number[]>();

  constructor(
    readonly server: string,
    readonly latency: LatencyBuckets,
  ) {}

  countResponse(status: number, route: string): void {
    this.count(status >= 100 && status < 600 ? (status / 100) | 0 : 5, route);
  }

  countAborted(route: string): void {
    this.count(ABORTED_INDEX, route);
  }

  countCancelled(route: string): void {
    this.count(CANCELLED_INDEX, route);
  }

  observeLatencyMs(latencyMs: number): void {
    this.latency.observeS(latencyMs / 1000);
  }

  /** Adds this server's counts to `lblab_requests_total` (at scrape time, after a reset). */
  collectInto(requests: Counter<RequestLabels>): void {
    for (const [route, row] of this.byRoute) {
      for (let index = 0; index < row.length; index++) {
        const count = row[index] as number;
        if (count > 0) requests.inc({ server: this.server, code_class: CODE_CLASSES[index] ?? '5xx', route }, count);
      }
    }
  }

  private count(index: number, route: string): void {
    let row = this.byRoute.get(route);
    if (row === undefined) {
      row = new Array<number>(CODE_CLASSES.length).fill(0);
      this.byRoute.set(route, row);
    }
    row[index] = (row[index] as number) + 1;
  }
}
