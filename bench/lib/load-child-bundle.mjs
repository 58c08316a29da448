// Bundles bench/load-child.ts (which imports the TypeScript load generator)
// into bench/results/.build/, where node_modules resolves for its packages.
import path from 'node:path';
import { build } from 'esbuild';

export async function bundleLoadChild(benchDir) {
  const outfile = path.join(benchDir, 'results', '.build', 'load-child.mjs');
  await build({
    entryPoints: [path.join(benchDir, 'load-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}
