import type { BalancerCore } from '../balancer-core.js';
import type { BalancerConfig } from '../config/config.js';
import { TcpDataPath } from './tcp-data-path.js';
import { registerTcpMetrics } from './tcp-metrics.js';

/**
 * The tcp data path of a balancer in tcp mode, wired to its core: /stats and
 * /metrics show its connections and bytes.
 */
export function startTcpDataPath(core: BalancerCore, config: BalancerConfig, log: (line: string) => void): TcpDataPath {
  const tcp = new TcpDataPath(core, {
    connectTimeoutMs: config.upstreamTimeoutMs,
    queueTimeoutMs: config.queueTimeoutMs,
    queueMaxLength: config.queueMaxLength ?? 1_000,
    log,
  });
  core.statsExtension = tcp.extendStats;
  registerTcpMetrics(core.metrics.registry, tcp.counters, () => tcp.queued);
  return tcp;
}
