import type { CommandIo } from '../commands/io.js';
import { processInterruption, type Interruption } from './interruption.js';
import { describeLeftovers } from './leftovers.js';

/**
 * Runs the start of a lab so that a signal tears it down: the first signal
 * aborts `work` (which removes what it started), a second prints what is
 * left and the `lblab down` that removes it. Once `work` is done, signals
 * no longer concern the lab.
 */
export async function whileStarting<T>(
  lab: string,
  io: CommandIo,
  work: (signal: AbortSignal) => Promise<T>,
  interruption: Interruption = processInterruption(),
): Promise<T> {
  const claim = interruption.claim({
    onFirst: (signal) => io.err(`${signal}: stopping the start of lab ${lab} and removing what was started (send it again to quit at once)`),
    onSecond: async (signal) => io.err(`${signal} again: quitting without waiting.\n${await describeLeftovers(lab)}`),
  });
  try {
    return await work(interruption.signal);
  } catch (error) {
    if (interruption.signal.aborted && isAbortReason(error, interruption.signal)) {
      throw interruption.error(`lab ${lab} was not started: everything it had started is removed`);
    }
    throw error;
  } finally {
    claim.release();
  }
}

function isAbortReason(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}
