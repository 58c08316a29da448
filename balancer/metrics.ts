// Prometheus metrics of one balancer (GET /metrics on the admin port). All
// metric definitions live here; add new ones (retries, fan-out) to
// BalancerMetrics. The hot path uses cached label children only.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

import type { ServerHealth } from './config.js';

/** `code_class` label values by status / 100; index 6 is a request its client abandoned before the answer. */
export const CODE_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx', 'aborted'] as const;
const ABORTED_INDEX = 6;
/** Distinct `route` label values kept; later routes are counted as `other`. */
export const MAX_ROUTES = 50;
/** `server` label for requests that no server took (503 no healthy server, queue timeout). */
export const NO_SERVER = 'none';
export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Why the balancer itself answered with an error. */
export type FailureReason = 'upstream_failed' | 'upstream_timeout' | 'no_healthy_server' | 'queue_timeout' | 'queue_full';

export interface ServerGaugeSource {
  readonly name: string;
  readonly inFlight: number;
  readonly health: ServerHealth;
}

export interface MetricsSources {
  servers(): readonly ServerGaugeSource[];
  queueLength(): number;
}

type RequestLabels = 'server' | 'code_class' | 'route';

let processRegistry: Registry | undefined;

/** Default process metrics (CPU, memory, event loop) are per process: one registry for all balancers. */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class BalancerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<RequestLabels>;
  private readonly duration: Histogram<'server'>;
  private readonly healthChanges: Counter<'server' | 'to'>;
  private readonly failures: Counter<'reason'>;
  private readonly routes = new Set<string>();
  private sources: MetricsSources | undefined;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'lblab_requests_total',
      help: 'Requests answered, by server, status class and first path segment',
      labelNames: ['server', 'code_class', 'route'],
      registers,
    });
    this.duration = new Histogram({
      name: 'lblab_request_duration_seconds',
      help: 'Time from sending a request upstream to the end of its response',
      labelNames: ['server'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
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
    const metrics = this;
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
    return new ServerMetrics(server, this.requests, this.duration.labels({ server }));
  }

  healthChanged(server: string, to: ServerHealth): void {
    this.healthChanges.inc({ server, to });
  }

  failure(reason: FailureReason): void {
    this.failures.inc({ reason });
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

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Cached label children of one server, so counting a response does not hash label objects. */
export class ServerMetrics {
  private readonly byRoute = new Map<string, (Counter.Internal | undefined)[]>();

  constructor(
    readonly server: string,
    private readonly requests: Counter<RequestLabels>,
    private readonly duration: Histogram.Internal<'server'>,
  ) {}

  countResponse(status: number, route: string): void {
    this.count(status >= 100 && status < 600 ? (status / 100) | 0 : 5, route);
  }

  countAborted(route: string): void {
    this.count(ABORTED_INDEX, route);
  }

  private count(index: number, route: string): void {
    let row = this.byRoute.get(route);
    if (row === undefined) {
      row = [];
      this.byRoute.set(route, row);
    }
    let child = row[index];
    if (child === undefined) {
      child = this.requests.labels({ server: this.server, code_class: CODE_CLASSES[index] ?? '5xx', route });
      row[index] = child;
    }
    child.inc();
  }

  observeLatencyMs(latencyMs: number): void {
    this.duration.observe(latencyMs / 1000);
  }
}
