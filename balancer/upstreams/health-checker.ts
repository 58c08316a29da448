import type { Backend } from './backend.js';
import type { HealthCheckOptions } from '../config/config.js';
import type { ServerHealth } from '../api-types.js';
import { probeHealth, type HealthProbe, type ProbeResult } from './health-probe.js';
import { LoopLag } from './loop-lag.js';
import { nextHealthStep, type HealthCounts } from './health-state.js';
import { probeTcp } from '../tcp/tcp-probe.js';

export interface HealthTransition {
  readonly backend: Backend;
  /** What the active checks said before and say now (the server may be ejected meanwhile). */
  readonly from: ServerHealth;
  readonly to: ServerHealth;
  /** `2 failed checks: ECONNREFUSED`, `2 passed checks`, `first check passed`. */
  readonly detail: string;
}

export interface HealthCheckerOptions {
  readonly health: HealthCheckOptions;
  /** Called when a server's checks change its health; the caller applies it. */
  readonly onTransition: (transition: HealthTransition) => void;
  /** A check that counted neither way (the balancer was late, or short of its own resources). */
  readonly onInconclusive?: (backend: Backend, reason: string) => void;
}

interface Watch {
  counts: HealthCounts;
  timer: NodeJS.Timeout | undefined;
  probe: HealthProbe | undefined;
  startedAt: number;
}

/**
 * Time to the next check, as HAProxy does: `fastIntervalMs` while a server is
 * changing state (a failure while up, a pass while down), so a kill or a
 * revive is confirmed quickly, and while it has never been up (a new lab's
 * servers, still starting: they come into rotation as soon as they answer);
 * `downIntervalMs` while it is down; else `intervalMs`.
 */
export function nextIntervalMs(health: HealthCheckOptions, checked: 'up' | 'down', counts: HealthCounts, everUp = true): number {
  const changing = checked === 'up' ? counts.failed > 0 : counts.passed > 0 || !everUp;
  if (changing) return health.fastIntervalMs ?? Math.min(100, health.intervalMs);
  if (checked === 'down') return health.downIntervalMs ?? Math.min(250, health.intervalMs);
  return health.intervalMs;
}

/**
 * Active health checks: each watched server is probed at once, then at the
 * interval nextIntervalMs gives (measured from the start of the previous
 * probe; probes never overlap), each probe bounded by `timeoutMs`.
 */
export class HealthChecker {
  private readonly watches = new Map<Backend, Watch>();
  /** How late the balancer runs: a check that timed out meanwhile is not the server's failure. */
  private readonly lag = new LoopLag();
  private closed = false;

  constructor(private readonly options: HealthCheckerOptions) {}

  watch(backend: Backend): void {
    if (this.closed || this.watches.has(backend)) return;
    const watch: Watch = { counts: { passed: 0, failed: 0 }, timer: undefined, probe: undefined, startedAt: 0 };
    this.watches.set(backend, watch);
    this.probe(backend, watch);
  }

  unwatch(backend: Backend): void {
    const watch = this.watches.get(backend);
    if (watch === undefined) return;
    this.watches.delete(backend);
    clearTimeout(watch.timer);
    watch.probe?.cancel();
  }

  close(): void {
    this.closed = true;
    this.lag.stop();
    for (const backend of [...this.watches.keys()]) this.unwatch(backend);
  }

  private probe(backend: Backend, watch: Watch): void {
    const { path, timeoutMs } = this.options.health;
    watch.timer = undefined;
    watch.startedAt = Date.now();
    const onResult = (result: ProbeResult): void => this.settle(backend, watch, result);
    watch.probe =
      this.options.health.check === 'tcp' ? probeTcp(backend, timeoutMs, onResult, this.lag) : probeHealth(backend, path, timeoutMs, onResult, this.lag);
  }

  private settle(backend: Backend, watch: Watch, result: ProbeResult): void {
    watch.probe = undefined;
    if (this.watches.get(backend) !== watch) return;
    if (result.inconclusive === true) this.options.onInconclusive?.(backend, result.reason);
    else {
      const step = nextHealthStep(backend.checkedHealth, backend.everUp, watch.counts, result, this.options.health);
      watch.counts = step.counts;
      if (step.to !== undefined) {
        this.options.onTransition({ backend, from: backend.checkedHealth, to: step.to, detail: step.detail ?? '' });
      }
    }
    if (this.watches.get(backend) !== watch) return;
    const elapsedMs = Date.now() - watch.startedAt;
    const intervalMs = nextIntervalMs(this.options.health, backend.checkedHealth, watch.counts, backend.everUp);
    watch.timer = setTimeout(() => this.probe(backend, watch), Math.max(0, intervalMs - elapsedMs));
    watch.timer.unref();
  }
}
