// The balancer's state and the operations the admin API and main need:
// servers (pool + health checks), the algorithm, events, metrics, stats.
import type { AlgorithmContext, AlgorithmName, AlgorithmOptions } from './algorithms/algorithm.js';
import { createAlgorithm } from './algorithms/index.js';
import type { Backend } from './backend.js';
import { BackendPool } from './backend-pool.js';
import type { BackendSpec, BalancerConfig, BalancerEvent, BalancerStats } from './config.js';
import { EventLog } from './event-log.js';
import { HealthChecker, type HealthTransition } from './health-checker.js';
import { BalancerMetrics } from './metrics.js';
import { Proxy } from './proxy.js';

export interface BalancerCoreOptions {
  readonly config: BalancerConfig;
  /** Random source and monotonic clock for the algorithms (seeded in tests). */
  readonly context: AlgorithmContext;
  /** Epoch ms, for events, health timestamps and log lines. */
  readonly wallClock: () => number;
  /** One line without a newline; the core adds the ISO timestamp. */
  readonly log: (line: string) => void;
}

export interface ReplicaList {
  readonly N: number;
  readonly replicas: readonly string[];
}

export class BalancerCore {
  readonly config: BalancerConfig;
  readonly context: AlgorithmContext;
  readonly pool: BackendPool;
  readonly proxy: Proxy;
  readonly metrics = new BalancerMetrics();
  readonly events = new EventLog();
  private readonly checker: HealthChecker | undefined;
  private algorithmName: AlgorithmName;
  private algorithmOptions: AlgorithmOptions;
  private readonly startedAt: number;

  constructor(private readonly options: BalancerCoreOptions) {
    const { config } = options;
    this.config = config;
    this.context = options.context;
    this.startedAt = options.context.now();
    this.pool = new BackendPool({
      initialHealth: config.health.enabled ? 'down' : 'up',
      metrics: this.metrics,
      wallClock: options.wallClock,
    });
    this.algorithmName = config.algorithm;
    this.algorithmOptions = config.algorithmOptions;
    this.proxy = new Proxy({
      pool: this.pool,
      metrics: this.metrics,
      algorithm: createAlgorithm(config.algorithm, options.context, config.algorithmOptions),
      hashKeyParam: config.hashKeyParam,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      queueTimeoutMs: config.queueTimeoutMs,
      queueMaxLength: config.queueMaxLength ?? 1_000,
    });
    this.checker = config.health.enabled
      ? new HealthChecker({ health: config.health, onTransition: (transition) => this.applyHealth(transition) })
      : undefined;
    this.metrics.setSources({ servers: () => this.pool.all(), queueLength: () => this.proxy.queueLength });
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
    this.log(`added ${spec.name} ${spec.url}${this.checker === undefined ? ' (health checks off: up)' : ''}`);
    this.emit({ type: 'added', server: spec.name, health: backend.health, detail: spec.url });
    this.checker?.watch(backend);
    if (backend.health === 'up') this.proxy.drainQueue();
    return backend;
  }

  /** Unregisters a server; its in-flight requests finish. False for an unknown name. */
  removeServer(name: string): boolean {
    const backend = this.pool.remove(name);
    if (backend === undefined) return false;
    this.checker?.unwatch(backend);
    this.log(`removed ${name}${backend.inFlight > 0 ? ` (${backend.inFlight} requests in flight finish)` : ''}`);
    this.emit({ type: 'removed', server: name });
    return true;
  }

  /** Switches the algorithm at run time (fresh state); throws AlgorithmError for a bad name or option. */
  setAlgorithm(name: AlgorithmName, options: AlgorithmOptions = {}): void {
    const algorithm = createAlgorithm(name, this.context, options);
    const previous = this.algorithmName;
    this.algorithmName = name;
    this.algorithmOptions = options;
    this.log(`algorithm ${previous} -> ${name}`);
    this.emit({ type: 'algorithm', detail: name });
    this.proxy.setAlgorithm(algorithm);
  }

  replicas(): ReplicaList {
    const replicas = this.pool.names();
    return { N: replicas.length, replicas };
  }

  stats(): BalancerStats {
    return {
      algorithm: this.algorithmName,
      uptimeMs: Math.round(this.context.now() - this.startedAt),
      totals: this.proxy.totals(),
      servers: this.pool.all().map((backend) => backend.stats()),
    };
  }

  /** Stops health checks and answers waiting requests with 503; in-flight requests go on. */
  stop(): void {
    this.checker?.close();
    this.proxy.close();
  }

  /** Closes the upstream agents (after the data server has closed). */
  dispose(): void {
    this.pool.clear();
  }

  private applyHealth({ backend, from, to, detail }: HealthTransition): void {
    this.pool.setHealth(backend, to);
    this.metrics.healthChanged(backend.name, to);
    this.log(`health ${backend.name} ${from} -> ${to} (${detail})`);
    this.emit({ type: 'health', server: backend.name, health: to, detail: `${from} -> ${to} (${detail})` });
    if (to === 'up') this.proxy.drainQueue();
  }

  private emit(event: Omit<BalancerEvent, 'at'>): void {
    this.events.push({ ...event, at: this.options.wallClock() });
  }

  private log(line: string): void {
    this.options.log(`${new Date(this.options.wallClock()).toISOString()} ${line}`);
  }
}
