import { Backend } from './backend.js';
import type { BackendSpec } from '../config/config.js';
import type { ServerHealth } from '../api-types.js';
import type { BalancerMetrics } from '../metrics/metrics.js';

export interface BackendPoolOptions {
  /** Health of a newly added server: 'down' until its first passed check, or 'up' with checks off. */
  readonly initialHealth: ServerHealth;
  /** Time allowed to open an upstream connection. */
  readonly connectTimeoutMs: number;
  readonly metrics: BalancerMetrics;
  /** Epoch ms. */
  readonly wallClock: () => number;
}

/**
 * The registered servers in the order they were added, and the cached list
 * of healthy ones that the algorithms pick from (rebuilt only when a server
 * comes, goes or changes health).
 */
export class BackendPool {
  private readonly byName = new Map<string, Backend>();
  private list: readonly Backend[] = [];
  private healthyList: readonly Backend[] | undefined;

  constructor(private readonly options: BackendPoolOptions) {}

  get size(): number {
    return this.list.length;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): Backend | undefined {
    return this.byName.get(name);
  }

  all(): readonly Backend[] {
    return this.list;
  }

  names(): string[] {
    return this.list.map((b) => b.name);
  }

  /** Servers that may take requests: health `up`. The array is shared; do not keep it across changes. */
  healthy(): readonly Backend[] {
    if (this.healthyList === undefined) this.healthyList = this.list.filter((b) => b.health === 'up');
    return this.healthyList;
  }

  /** Adds a server; throws on a name already registered (callers check first for a 400). */
  add(spec: BackendSpec): Backend {
    if (this.byName.has(spec.name)) throw new Error(`server "${spec.name}" is already registered`);
    const backend = new Backend(spec, {
      health: this.options.initialHealth,
      connectTimeoutMs: this.options.connectTimeoutMs,
      nowMs: this.options.wallClock(),
      metrics: this.options.metrics.forServer(spec.name),
    });
    this.byName.set(spec.name, backend);
    this.list = [...this.list, backend];
    this.healthyList = undefined;
    return backend;
  }

  /** Unregisters a server. Its in-flight requests finish; its connections close after the last one. */
  remove(name: string): Backend | undefined {
    const backend = this.byName.get(name);
    if (backend === undefined) return undefined;
    this.byName.delete(name);
    this.list = this.list.filter((b) => b !== backend);
    this.healthyList = undefined;
    backend.retire();
    return backend;
  }

  setHealth(backend: Backend, health: ServerHealth): void {
    if (backend.health === health) return;
    backend.health = health;
    backend.healthChangedAt = this.options.wallClock();
    if (health === 'up') backend.everUp = true;
    this.healthyList = undefined;
  }

  /** Retires every server (on close). */
  clear(): void {
    for (const backend of this.list) backend.retire();
    this.byName.clear();
    this.list = [];
    this.healthyList = undefined;
  }
}
