// The primary's BalancerCore: it runs the one health checker and keeps the
// settings the admin API changes; every change it accepts goes to every worker.
import type { AlgorithmName, AlgorithmOptions } from '../algorithms/algorithm.js';
import { BalancerCore, type BalancerCoreOptions } from '../balancer-core.js';
import type { BackendSpec, BalancerConfig, FanoutOptions, OutlierOptions, RetryOptions } from '../config/config.js';
import type { Backend } from '../upstreams/backend.js';
import type { ClusterChange } from './cluster-messages.js';

export class PrimaryCore extends BalancerCore {
  /** Set after super(): the servers of the config are in every worker's start message already. */
  private sink: ((change: ClusterChange) => void) | undefined;

  constructor(options: BalancerCoreOptions, broadcast: (change: ClusterChange) => void) {
    super(options);
    this.sink = broadcast;
    this.events.subscribe((event) => {
      if (event.type === 'health' && event.server !== undefined && (event.health === 'up' || event.health === 'down')) {
        this.sink?.({ kind: 'verdict', server: event.server, to: event.health, detail: `the primary's checks: ${event.detail ?? event.health}` });
      }
    });
  }

  override addServer(spec: BackendSpec): Backend {
    const backend = super.addServer(spec);
    this.sink?.({ kind: 'add', spec });
    return backend;
  }

  override removeServer(name: string): boolean {
    const removed = super.removeServer(name);
    if (removed) this.sink?.({ kind: 'remove', name });
    return removed;
  }

  override setAlgorithm(name: AlgorithmName, options: AlgorithmOptions = {}): void {
    super.setAlgorithm(name, options);
    this.sink?.({ kind: 'algorithm', name, options });
  }

  override setFanout(fanout: FanoutOptions): void {
    super.setFanout(fanout);
    this.sink?.({ kind: 'fanout', fanout });
  }

  override setRetries(retries: RetryOptions): void {
    super.setRetries(retries);
    this.sink?.({ kind: 'retries', retries });
  }

  override setOutlier(outlier: OutlierOptions): void {
    super.setOutlier(outlier);
    this.sink?.({ kind: 'outlier', outlier });
  }

  /** The config a worker started now gets: the settings in force and the servers registered now. */
  snapshot(): { readonly config: BalancerConfig; readonly up: readonly string[] } {
    const backends = this.pool.all();
    const { adminToken: _token, ...config } = this.config;
    return {
      config: {
        ...config,
        algorithm: this.algorithm,
        algorithmOptions: this.currentAlgorithmOptions,
        servers: backends.map((b) => ({ name: b.name, url: b.url, weight: b.weight })),
        fanout: this.settings.fanout,
        retries: this.settings.retries,
        outlier: this.settings.outlier,
        workers: 1,
      },
      up: backends.filter((b) => b.checkedHealth === 'up').map((b) => b.name),
    };
  }
}
