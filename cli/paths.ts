import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The lblab package folder (holding package.json named "lblab"), found from this file. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 10; depth++) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lblab') {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot find the lblab package folder above ${fileURLToPath(import.meta.url)}`);
}

/** A bundled program: dist/balancer.js or dist/sample-server.js. */
export function bundlePath(name: 'balancer.js' | 'sample-server.js'): string {
  return path.join(packageRoot(), 'dist', name);
}

/** Where labs are recorded: $LBLAB_HOME, else .lblab/ in the working directory. */
export function stateHome(): string {
  return path.resolve(process.env.LBLAB_HOME ?? '.lblab');
}

export function labDir(lab: string): string {
  return path.join(stateHome(), lab);
}
