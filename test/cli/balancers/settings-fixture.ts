import { DEFAULT_HEALTH, DEFAULT_OUTLIER } from '../../../balancer/config/config.js';
import type { BalancerSettings } from '../../../cli/balancers/balancer-settings.js';

export function settingsFixture(overrides: Partial<BalancerSettings> = {}): BalancerSettings {
  return {
    placement: { listenHost: '127.0.0.1', port: 18080, adminPort: 18081, runDir: '/tmp/lblab-run' },
    servers: [
      { name: 'server1', address: '127.0.0.1:19001', weight: 1 },
      { name: 'server2', address: '127.0.0.1:19002', weight: 3 },
    ],
    algorithm: 'round-robin',
    algorithmOptions: {},
    hashKeyParam: 'id',
    health: DEFAULT_HEALTH,
    outlier: { ...DEFAULT_OUTLIER, enabled: false },
    retries: 0,
    upstreamTimeoutMs: 10_000,
    queueTimeoutMs: 5_000,
    closest: false,
    ...overrides,
  };
}
