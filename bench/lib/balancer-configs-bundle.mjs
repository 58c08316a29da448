// Bundles bench/balancer-configs.ts (lblab's HAProxy and nginx configuration
// generators) into bench/results/.build/, like the load child.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let loaded;

/** @returns {Promise<typeof import('../balancer-configs.ts')>} */
export function loadBalancerConfigs() {
  loaded ??= (async () => {
    const outfile = path.join(benchDir, 'results', '.build', 'balancer-configs.mjs');
    await build({
      entryPoints: [path.join(benchDir, 'balancer-configs.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    return import(outfile);
  })();
  return loaded;
}
