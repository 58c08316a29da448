import type { BalancerConfig } from '../../balancer/config/config.js';
import { addressOf, type BalancerPlacement, type BalancerSettings } from './balancer-settings.js';

/** The generator's settings from the very configuration lblab's balancer would get. */
export function settingsFromConfig(config: BalancerConfig, placement: BalancerPlacement, closest: boolean): BalancerSettings {
  return {
    placement,
    servers: config.servers.map((server) => ({ name: server.name, address: addressOf(server.url), weight: server.weight ?? 1 })),
    algorithm: config.algorithm,
    algorithmOptions: config.algorithmOptions,
    hashKeyParam: config.hashKeyParam,
    health: config.health,
    outlier: config.outlier,
    retries: config.retries.count,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    queueTimeoutMs: config.queueTimeoutMs,
    closest,
    generation: 1,
  };
}
