// Bundles a TypeScript entry of bench/ (which imports lblab's sources) into
// bench/results/.build/, where node_modules resolves for its packages.
import path from 'node:path';
import { build } from 'esbuild';

/** Bundles bench/<name>.ts to bench/results/.build/<name>.mjs; returns the output file. */
export async function bundleForBench(benchDir, name) {
  const outfile = path.join(benchDir, 'results', '.build', `${name}.mjs`);
  await build({
    entryPoints: [path.join(benchDir, `${name}.ts`)],
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
