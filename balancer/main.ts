// The balancer program (dist/balancer.js): reads its config, starts, and
// closes gracefully on SIGTERM/SIGINT. The only file that calls process.exit.
// With `workers` above 1 this process is a cluster's primary and the same
// program runs as its workers (cluster/cluster-worker.ts).
import cluster from 'node:cluster';

import { startBalancer } from './balancer.js';
import { startClusterPrimary } from './cluster/cluster-primary.js';
import { runClusterWorker } from './cluster/cluster-worker.js';
import { workerCount } from './config/workers-parse.js';
import { parseBalancerConfig } from './config/config-parse.js';
import { loadConfigSource, USAGE } from './config/config-source.js';
import { readAdminToken, TOKEN_ENV } from './config/admin-token.js';

interface Running {
  readonly url: string;
  readonly adminUrl: string;
  readonly config: { readonly adminToken?: string };
  close(): Promise<void>;
}

async function main(): Promise<void> {
  let handle: Running;
  try {
    const source = loadConfigSource(process.argv.slice(2), process.env);
    if (source.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const { config, warnings } = parseBalancerConfig(source.input);
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    const adminToken = readAdminToken(process.env);
    const withToken = adminToken === undefined ? config : { ...config, adminToken };
    const workers = workerCount(config.workers);
    // One worker is today's single process: no cluster at all.
    handle = workers > 1 ? await startClusterPrimary(withToken, { workers }) : await startBalancer(withToken);
  } catch (error) {
    process.stderr.write(`lblab balancer: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(`listening data ${handle.url} admin ${handle.adminUrl}\n`);
  if (handle.config.adminToken === undefined) {
    process.stderr.write(`warning: ${TOKEN_ENV} is not set: the admin API answers anyone who can reach ${handle.adminUrl}\n`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`lblab balancer: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${new Date().toISOString()} ${signal}: closing\n`);
    handle.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`lblab balancer: close failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (cluster.isWorker) runClusterWorker((code) => process.exit(code));
else void main();
