// Bundles bench/balancer-configs.ts (lblab's HAProxy and nginx configuration
// generators) for the .mjs launchers, like the load child.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench } from './bundle-for-bench.mjs';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let loaded;

/** @returns {Promise<typeof import('../balancer-configs.ts')>} */
export function loadBalancerConfigs() {
  loaded ??= bundleForBench(benchDir, 'balancer-configs').then((outfile) => import(outfile));
  return loaded;
}
