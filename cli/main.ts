import { CommanderError } from 'commander';
import { processIo } from './commands/io.js';
import { isLabError } from './errors.js';
import { processInterruption, signalExitCode } from './lab/interruption.js';
import { createProgram } from './program.js';
import { UNSETTLED_EXIT_CODE, UNSETTLED_MESSAGE, guardUnsettled } from './unsettled-guard.js';

/** The bin: the only place that calls process.exit. */
async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram(processIo);
  try {
    await program.parseAsync([...argv]);
    const received = processInterruption().received;
    // A command that stopped cleanly on a signal (the dashboard) still ends as the signal says.
    return received === undefined ? 0 : signalExitCode(received);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    }
    if (isLabError(error)) {
      processIo.err(`lblab: ${error.message}`);
      if (process.env.DEBUG !== undefined && error.stack !== undefined) processIo.err(error.stack);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    processIo.err(`lblab: ${message}`);
    if (process.env.DEBUG !== undefined && error instanceof Error && error.stack !== undefined) processIo.err(error.stack);
    else processIo.err('(set DEBUG=1 for the stack trace)');
    return 1;
  }
}

// NO_COLOR (https://no-color.org) holds for every output; chalk, under the Ink dashboard, reads only
// FORCE_COLOR, so say it in its terms before the dashboard loads it.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';

// SIGINT, SIGTERM and SIGHUP become an abort the commands await (see lab/interruption.ts);
// a command with nothing to clean up, or a second signal, ends the process here.
const interruption = processInterruption().install();
const command = main(process.argv);
// A bug that leaves `command` pending with nothing keeping the event loop alive says so, instead of Node's silent exit 13.
guardUnsettled(command, () => {
  processIo.err(UNSETTLED_MESSAGE);
  process.exit(UNSETTLED_EXIT_CODE);
});
// Exit explicitly: pooled keep-alive sockets to the admin API would otherwise hold the process open.
process.exit(await Promise.race([command, interruption.exitRequested]));
