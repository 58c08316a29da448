import { CommanderError } from 'commander';
import { processIo } from './commands/io.js';
import { isLabError } from './errors.js';
import { processInterruption, signalExitCode } from './lab/interruption.js';
import { createProgram } from './program.js';

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

// SIGINT, SIGTERM and SIGHUP become an abort the commands await (see lab/interruption.ts);
// a command with nothing to clean up, or a second signal, ends the process here.
const interruption = processInterruption().install();
// Exit explicitly: pooled keep-alive sockets to the admin API would otherwise hold the process open.
process.exit(await Promise.race([main(process.argv), interruption.exitRequested]));
