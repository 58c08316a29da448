import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { removeServers } from '../lab/scale.js';
import { parseName } from './option-parsers.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';

export function registerRm(program: Command, io: CommandIo): void {
  program
    .command('rm <names...>')
    .description('take servers out of the balancer, then stop and remove them')
    .action(async (names: string[], _flags: unknown, command: Command) => {
      const parsed = names.map((name) => parseName('server name', name));
      const lab = await openLab(labOf(command));
      await removeServers(lab, parsed);
      io.out(`removed ${parsed.join(', ')}`);
    });
}
