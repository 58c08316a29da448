import { CommanderError } from 'commander';
import { processIo } from './commands/io.js';
import { isLabError } from './errors.js';
import { createProgram } from './program.js';

/** The bin: the only place that calls process.exit. */
async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram(processIo);
  try {
    await program.parseAsync([...argv]);
    return 0;
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

// Exit explicitly: pooled keep-alive sockets to the admin API would otherwise hold the process open.
process.exit(await main(process.argv));
