import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { down } from '../lab/down.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';
import { processInterruption } from '../lab/interruption.js';
import { describeLeftovers } from '../lab/leftovers.js';

export function registerDown(program: Command, io: CliIo): void {
  program
    .command('down')
    .description('stop and remove every server and the balancer of the lab')
    .action(async (_flags: unknown, command: Command) => {
      const lab = labOf(command);
      // A first signal lets the teardown finish (it is what was asked); a second quits and says what is left.
      const claim = processInterruption().claim({
        onFirst: (signal) => io.err(`${signal}: finishing the teardown of lab ${lab} (send it again to quit at once)`),
        onSecond: async (signal) => io.err(`${signal} again: quitting without waiting.\n${await describeLeftovers(lab)}`),
      });
      const result = await down(lab, { dockerToo: true }).finally(() => claim.release());
      if (result.errors.length > 0) {
        throw new LabError(
          'LBLAB_ENGINE',
          `lab ${lab}: ${result.errors.length} problem(s) while taking it down:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
        );
      }
      const unchecked = result.unchecked.length === 0 ? '' : ` (not checked: ${result.unchecked.join(', ')})`;
      io.note(
        result.removed.length === 0 ? `lab ${lab}: nothing was running${unchecked}` : `lab ${lab} is down: removed ${result.removed.join(', ')}${unchecked}`,
      );
    });
}
