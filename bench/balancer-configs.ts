// The bench's HAProxy and nginx run on the configuration `lblab up --balancer`
// generates (cli/balancers/), from lblab's default settings: bundled by
// bench/lib/balancer-configs-bundle.mjs for the .mjs launchers.
import { DEFAULT_CONFIG } from '../balancer/config/config.js';
import type { AlgorithmName } from '../balancer/algorithms/algorithm.js';
import { generateConfig } from '../cli/balancers/balancer-files.js';
import { externalBalancerArgs } from '../cli/balancers/host-program.js';
import { resolveSettings } from '../cli/balancers/resolve-settings.js';
import { settingsFromConfig } from '../cli/balancers/settings-from-config.js';

export { externalBalancerArgs };

export interface BenchBalancerOptions {
  readonly port: number;
  readonly adminPort: number;
  /** Folder for the configuration, socket, pid and temp files. */
  readonly dir: string;
  readonly servers: readonly { readonly name: string; readonly url: string }[];
  readonly algorithm?: AlgorithmName;
}

/** The configuration file's text, and the notes of what the kind runs in place of what it lacks. */
export function benchBalancerConfig(kind: 'haproxy' | 'nginx', options: BenchBalancerOptions): { config: string; notes: readonly string[] } {
  const config = { ...DEFAULT_CONFIG, algorithm: options.algorithm ?? 'round-robin', servers: options.servers.map(({ name, url }) => ({ name, url })) };
  const placement = { listenHost: '127.0.0.1', port: options.port, adminPort: options.adminPort, runDir: options.dir };
  const resolved = resolveSettings(kind, settingsFromConfig(config, placement, true));
  return { config: generateConfig(kind, resolved.settings), notes: resolved.notes };
}
