// The balancer's state and the operations the admin API and main need:
// servers (pool + health checks), the algorithm, events, metrics, stats.
import type { AlgorithmContext, AlgorithmName, AlgorithmOptions } from './algorithms/algorithm.js';
import { createAlgorithm } from './algorithms/index.js';
import type { Backend } from './upstreams/backend.js';
import { BackendPool } from './upstreams/backend-pool.js';
import { CoalescedReporter } from './admin/coalesced-reporter.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, type BackendSpec, type BalancerConfig, type FanoutOptions, type OutlierOptions, type RetryOptions } from './config/config.js';
import type { BalancerEvent, BalancerStats, SaturationStats, ServerHealth } from './api-types.js';
import { SaturationMonitor } from './metrics/saturation-monitor.js';
import { EventLog } from './admin/event-log.js';
import { HealthChecker, type HealthTransition } from './upstreams/health-checker.js';
import { BalancerMetrics } from './metrics/metrics.js';
import { OutlierDetector } from './upstreams/outlier-detector.js';
import { DataPath, type ResilienceSettings } from './data-path/data-path.js';
import { formatRouteRule } from './config/route-rule.js';
import { checkTcpAlgorithm } from './tcp/tcp-algorithms.js';

/** The window of the saturation figures in /stats and /metrics. */
export const SATURATION_WINDOW_MS = 1_000;

/** Retry-budget refusals within this window are reported in one event. */
export const RETRY_BUDGET_EVENT_WINDOW_MS = 1_000;

export interface BalancerCoreOptions {
  readonly config: BalancerConfig;
  /** Random source and monotonic clock for the algorithms (seeded in tests). */
  readonly context: AlgorithmContext;
  /** Epoch ms, for events, health timestamps and log lines. */
  readonly wallClock: () => number;
  /** One line without a newline; the core adds the ISO timestamp. */
  readonly log: (line: string) => void;
  /** False in a cluster worker: the primary runs the checks and sends verdicts (applyCheckVerdict). True by default. */
  readonly activeChecks?: boolean;
}

export interface ReplicaList {
  readonly N: number;
  readonly replicas: readonly string[];
}

export class BalancerCore {
  readonly config: BalancerConfig;
  readonly context: AlgorithmContext;
  readonly pool: BackendPool;
  readonly dataPath: DataPath;
  readonly metrics = new BalancerMetrics();
  readonly events = new EventLog();
  /** Fan-out, retry and ejection settings in force (PUT /fanout, /retries, /outlier change them). */
  readonly settings: ResilienceSettings;
  private readonly checker: HealthChecker | undefined;
  private readonly outlier: OutlierDetector;
  private readonly budgetEvents: CoalescedReporter;
  private readonly lateChecks: CoalescedReporter;
  private readonly saturationMonitor = new SaturationMonitor();
  private readonly saturationTimer: NodeJS.Timeout;
  private saturation: SaturationStats | undefined;
  private ejections = 0;
  private algorithmName: AlgorithmName;
  private algorithmOptions: AlgorithmOptions;
  private readonly startedAt: number;
  /** Adds what a data path other than the HTTP proxy counts (the tcp relay's connections and bytes). */
  statsExtension: ((stats: BalancerStats) => BalancerStats) | undefined;

  constructor(private readonly options: BalancerCoreOptions) {
    const { config } = options;
    this.config = config;
    this.context = options.context;
    this.startedAt = options.context.now();
    this.pool = new BackendPool({
      initialHealth: config.health.enabled ? 'down' : 'up',
      connectTimeoutMs: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      metrics: this.metrics,
      wallClock: options.wallClock,
    });
    this.algorithmName = config.algorithm;
    this.algorithmOptions = config.algorithmOptions;
    this.settings = { fanout: config.fanout, retries: config.retries, outlier: config.outlier };
    this.outlier = new OutlierDetector({
      settings: () => this.settings.outlier,
      servers: () => this.pool.all(),
      upCount: () => this.pool.healthy().length,
      wallClock: options.wallClock,
      eject: (backend, durationMs, detail) => this.eject(backend, durationMs, detail),
      restore: (backend, detail) => this.restore(backend, detail),
      log: (line) => this.log(line),
    });
    this.budgetEvents = new CoalescedReporter({
      windowMs: RETRY_BUDGET_EVENT_WINDOW_MS,
      now: options.context.now,
      report: (count, detail) => {
        this.log(`retry budget: ${count === 1 ? detail : `${count} retries refused, the last: ${detail}`}`);
        this.emit({ type: 'retry-budget', count, detail: count === 1 ? detail : `${count} retries refused; the last: ${detail}` });
      },
    });
    this.dataPath = new DataPath({
      pool: this.pool,
      metrics: this.metrics,
      algorithm: createAlgorithm(config.algorithm, options.context, config.algorithmOptions),
      hashKeyParam: config.hashKeyParam,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      queueTimeoutMs: config.queueTimeoutMs,
      queueMaxLength: config.queueMaxLength ?? 1_000,
      settings: this.settings,
      outcomes: this.outlier,
      random: options.context.random,
      now: options.context.now,
      onRetryBudgetRefused: (detail) => this.budgetEvents.add(detail),
    });
    this.lateChecks = new CoalescedReporter({
      windowMs: RETRY_BUDGET_EVENT_WINDOW_MS,
      now: options.context.now,
      report: (count, detail) => this.log(`health checks without a verdict: ${count === 1 ? detail : `${count}, the last: ${detail}`}`),
    });
    this.checker = config.health.enabled && options.activeChecks !== false
      ? new HealthChecker({
          health: config.health,
          onTransition: (transition) => this.applyHealth(transition),
          onInconclusive: (backend, reason) => this.lateChecks.add(`${backend.name} ${reason}`),
        })
      : undefined;
    this.saturationTimer = setInterval(() => {
      this.saturation = this.saturationMonitor.sample();
    }, SATURATION_WINDOW_MS);
    this.saturationTimer.unref();
    this.metrics.setSources({
      servers: () => this.pool.all(),
      queueLength: () => this.dataPath.queueLength,
      retriesActive: () => this.dataPath.retries.budget.active,
      saturation: () => this.saturation,
    });
    for (const spec of config.servers) this.addServer(spec);
  }

  get algorithm(): AlgorithmName {
    return this.algorithmName;
  }

  get currentAlgorithmOptions(): AlgorithmOptions {
    return this.algorithmOptions;
  }

  /** Registers a server and starts checking it (a first check at once); the name must be free. */
  addServer(spec: BackendSpec): Backend {
    const backend = this.pool.add(spec);
    this.log(`added ${spec.name} ${spec.url}${this.config.health.enabled ? '' : ' (health checks off: up)'}`);
    this.emit({ type: 'added', server: spec.name, health: backend.health, detail: spec.url });
    this.checker?.watch(backend);
    if (backend.health === 'up') this.dataPath.drainQueue();
    return backend;
  }

  /** Unregisters a server; its in-flight requests finish. False for an unknown name. */
  removeServer(name: string): boolean {
    const backend = this.pool.remove(name);
    if (backend === undefined) return false;
    this.checker?.unwatch(backend);
    this.outlier.forget(backend);
    this.log(`removed ${name}${backend.inFlight > 0 ? ` (${backend.inFlight} requests in flight finish)` : ''}`);
    this.emit({ type: 'removed', server: name });
    return true;
  }

  /** Switches the algorithm at run time (fresh state); throws AlgorithmError for a bad name or option. */
  setAlgorithm(name: AlgorithmName, options: AlgorithmOptions = {}): void {
    if (this.config.mode === 'tcp') checkTcpAlgorithm('algorithm', name);
    const algorithm = createAlgorithm(name, this.context, options);
    const previous = this.algorithmName;
    this.algorithmName = name;
    this.algorithmOptions = options;
    this.log(`algorithm ${previous} -> ${name}`);
    this.emit({ type: 'algorithm', detail: name });
    this.dataPath.setAlgorithm(algorithm);
  }

  /** A verdict of active checks run elsewhere (a cluster's primary), applied as if this core's checker had given it. */
  applyCheckVerdict(name: string, to: 'up' | 'down', detail: string): void {
    const backend = this.pool.get(name);
    if (backend === undefined || backend.checkedHealth === to) return;
    this.applyHealth({ backend, from: backend.checkedHealth, to, detail });
  }

  replicas(): ReplicaList {
    const replicas = this.pool.names();
    return { N: replicas.length, replicas };
  }

  stats(): BalancerStats {
    const stats: BalancerStats = {
      algorithm: this.algorithmName,
      uptimeMs: Math.round(this.context.now() - this.startedAt),
      totals: this.dataPath.totals(),
      servers: this.pool.all().map((backend) => backend.stats()),
      resilience: this.dataPath.resilience(this.ejections),
      ...(this.saturation === undefined ? {} : { saturation: this.saturation }),
    };
    return this.statsExtension?.(stats) ?? stats;
  }

  setFanout(fanout: FanoutOptions): void {
    this.settings.fanout = fanout;
    const routes = fanout.routes.map(formatRouteRule).join(', ') || 'no routes';
    this.log(
      `fanout ${fanout.enabled ? 'on' : 'off'}: ${routes}; servers ${fanout.servers}, backoff ${fanout.baseMs}-${fanout.capMs} ms, deadline ${fanout.deadlineMs} ms`,
    );
  }

  setRetries(retries: RetryOptions): void {
    this.settings.retries = retries;
    this.log(
      `retries ${retries.count}, backoff ${retries.baseMs}-${retries.capMs} ms, budget ${retries.budgetPercent}% (minimum ${retries.minRetryConcurrency})` +
        (retries.routes.length === 0 ? '' : `, also ${retries.routes.map(formatRouteRule).join(', ')}`),
    );
  }

  /** Switching passive ejection off ends the ejections in force. */
  setOutlier(outlier: OutlierOptions): void {
    this.settings.outlier = outlier;
    this.log(
      `passive ejection ${outlier.enabled ? 'on' : 'off'}: after ${outlier.consecutive5xx} consecutive failures, ` +
        `${outlier.baseEjectionMs} ms x n (at most ${outlier.maxEjectionMs} ms), at most ${outlier.maxEjectionPercent}% of servers`,
    );
    if (!outlier.enabled) this.outlier.restoreAll('passive ejection switched off');
  }

  /** Stops health checks and answers waiting requests with 503; in-flight requests go on. */
  stop(): void {
    this.checker?.close();
    this.outlier.close();
    this.budgetEvents.flush();
    this.lateChecks.flush();
    clearInterval(this.saturationTimer);
    this.saturationMonitor.stop();
    this.dataPath.close();
  }

  /** Closes the upstream agents (after the data server has closed). */
  dispose(): void {
    this.pool.clear();
  }

  /**
   * Active checks changed their verdict. Down wins over ejected (a server that
   * fails its checks is down, whatever its traffic did); a server that passes
   * them again while its ejection runs stays ejected until the ejection ends.
   */
  private applyHealth({ backend, from, to, detail }: HealthTransition): void {
    backend.checkedHealth = to === 'up' ? 'up' : 'down';
    if (to === 'up') backend.everUp = true;
    const effective: ServerHealth = to !== 'up' ? 'down' : backend.ejectedUntil !== undefined ? 'ejected' : 'up';
    if (effective === 'ejected' && backend.health === 'ejected') {
      this.log(`health ${backend.name} ${from} -> ${to} (${detail}) while ejected`);
      return;
    }
    this.changeHealth(backend, effective, effective === to ? detail : `${detail}; still ejected`);
    if (to === 'down' && this.config.shutdownSessions !== false && backend.sessions.size > 0) {
      const count = this.dataPath.shutdownSessions(backend, `${backend.name} marked down: ${detail}`);
      this.log(`shutdown-sessions ${backend.name}: ${count} ${count === 1 ? 'request' : 'requests'} in flight cut (retried elsewhere or answered 502)`);
    }
  }

  private eject(backend: Backend, durationMs: number, detail: string): void {
    const at = this.options.wallClock();
    this.ejections++;
    backend.ejections++;
    backend.ejectedUntil = at + durationMs;
    this.metrics.ejected(backend.name);
    this.pool.setHealth(backend, 'ejected');
    this.metrics.healthChanged(backend.name, 'ejected');
    this.log(`ejected ${backend.name} (${detail})`);
    this.emit({ type: 'ejected', server: backend.name, health: 'ejected', detail }, at);
  }

  /** The ejection is over: back to what the active checks say (up when they are off). */
  private restore(backend: Backend, detail: string): void {
    backend.ejectedUntil = undefined;
    if (!this.pool.has(backend.name) || this.pool.get(backend.name) !== backend) return;
    const to = backend.checkedHealth;
    this.changeHealth(backend, to, this.checker === undefined || to === 'up' ? detail : `${detail}; active checks say down`);
  }

  private changeHealth(backend: Backend, to: ServerHealth, detail: string): void {
    const from = backend.health;
    if (from === to) return;
    this.pool.setHealth(backend, to);
    this.metrics.healthChanged(backend.name, to);
    this.log(`health ${backend.name} ${from} -> ${to} (${detail})`);
    this.emit({ type: 'health', server: backend.name, health: to, detail: `${from} -> ${to} (${detail})` });
    if (to === 'up') this.dataPath.drainQueue();
  }

  private emit(event: Omit<BalancerEvent, 'at'>, at: number = this.options.wallClock()): void {
    this.events.push({ ...event, at });
  }

  private log(line: string): void {
    this.options.log(`${new Date(this.options.wallClock()).toISOString()} ${line}`);
  }
}
