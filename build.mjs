// Bundles the three programs. The balancer and the sample server become one
// self-contained file each, so they can be copied into an image as they are.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

// Chunks have hashed names: old ones would pile up (and be packed by npm pack).
await rm('dist/chunks', { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: 'linked', logLevel: 'warning' };
// Bundled CommonJS dependencies (prom-client) call require(); give ESM output one.
const requireShim = "import { createRequire as __lblabCreateRequire } from 'node:module'; const require = __lblabCreateRequire(import.meta.url);";

await Promise.all([
  build({ ...common, entryPoints: ['balancer/main.ts'], outfile: 'dist/balancer.js', banner: { js: requireShim } }),
  build({ ...common, entryPoints: ['sample-server/main.ts'], outfile: 'dist/sample-server.js', banner: { js: requireShim } }),
  // Split, so the modules a verb loads with import() (Ink, charts, dockerode)
  // load only when that verb runs and every other command starts fast.
  build({
    ...common,
    entryPoints: { lblab: 'cli/main.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    packages: 'external',
    jsx: 'automatic',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
