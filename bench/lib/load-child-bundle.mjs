// Bundles bench/load-child.ts (which imports the TypeScript load generator).
import { bundleForBench } from './bundle-for-bench.mjs';

export function bundleLoadChild(benchDir) {
  return bundleForBench(benchDir, 'load-child');
}
