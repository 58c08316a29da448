// Entry of the sample server (bundled to dist/sample-server.js). The only
// file that reads argv/env, handles signals and calls process.exit.
import { hostname } from 'node:os';
import { isSampleServerError } from './errors.js';
import { describeFault } from './fault.js';
import { formatLogLine } from './log.js';
import { SAMPLE_SERVER_USAGE, parseSampleServerOptions, type SampleServerOptions } from './options.js';
import { createSampleServer, type SampleServer } from './server.js';

const EXIT_BAD_INPUT = 2;

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${SAMPLE_SERVER_USAGE}\n`);
  process.exit(0);
}

let options: SampleServerOptions;
try {
  options = parseSampleServerOptions(argv, process.env, { hostname: hostname() });
} catch (error) {
  if (!isSampleServerError(error)) throw error;
  process.stderr.write(`sample-server: ${error.message}\n`);
  process.exit(EXIT_BAD_INPUT);
}

let server: SampleServer;
try {
  server = await createSampleServer(options);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sample-server: cannot listen on ${options.host}:${options.port}: ${message}\n`);
  process.exit(1);
}

// Machine-readable readiness line (no timestamp): runtimes match /^listening (\S+) (\S+)$/m.
process.stdout.write(`listening ${options.name} ${server.listenUrl}\n`);
const log = (message: string): void => {
  process.stdout.write(`${formatLogLine(Date.now(), options.name, message)}\n`);
};
log(`started app=${options.app} username=${options.username} fault=${describeFault(options.fault)} pid=${process.pid}`);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) {
    log(`${signal} again, exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  log(`${signal} received, closing`);
  server.close().then(
    () => {
      log('closed');
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`sample-server: close failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
