import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bundlePath, packageRoot } from '../../../../cli/paths.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface TestBundles {
  readonly server: string;
  readonly balancer: string;
  /** Whether the real programs are used (else the stand-ins in fixtures/). */
  readonly realServer: boolean;
  readonly realBalancer: boolean;
}

/**
 * The real dist bundles, built with `node build.mjs` when missing and every
 * entry point exists; stand-ins from fixtures/ for programs not written yet.
 */
export async function testBundles(): Promise<TestBundles> {
  const root = packageRoot();
  const server = bundlePath('sample-server.js');
  const balancer = bundlePath('balancer.js');
  const sources = ['balancer/main.ts', 'sample-server/main.ts', 'cli/main.ts'].every((file) => existsSync(path.join(root, file)));
  if ((!existsSync(server) || !existsSync(balancer)) && sources) {
    await promisify(execFile)(process.execPath, ['build.mjs'], { cwd: root }).catch((error: Error) => {
      console.warn(`docker tests: node build.mjs failed, using stand-ins: ${error.message.split('\n')[0] ?? ''}`);
    });
  }
  const realServer = existsSync(server);
  const realBalancer = existsSync(balancer);
  return {
    server: realServer ? server : path.join(fixtures, 'dummy-server.js'),
    balancer: realBalancer ? balancer : path.join(fixtures, 'dummy-balancer.js'),
    realServer,
    realBalancer,
  };
}

export const CRASH_SERVER = path.join(fixtures, 'crash-server.js');
