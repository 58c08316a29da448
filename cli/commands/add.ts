import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { addServers } from '../lab/scale.js';
import { MAX_LAB_SERVERS } from '../lab/lab-limits.js';
import { integerArg, parseName, parsedOption } from './option-parsers.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';

export function registerAdd(program: Command, io: CommandIo): void {
  program
    .command('add [names...]')
    .description('start new servers and register them with the balancer (names default to the next free serverN)')
    .addOption(parsedOption('--n <count>', 'how many servers to add (at least the number of names given)', integerArg({ min: 1, max: MAX_LAB_SERVERS })))
    .action(async (names: string[], flags: { n?: number }, command: Command) => {
      const parsed = names.map((name) => parseName('server name', name));
      const lab = await openLab(labOf(command));
      const added = await addServers(lab, parsed, flags.n);
      io.out(`added ${added.join(', ')}; the balancer sees ${added.length === 1 ? 'it' : 'them'} up`);
    });
}
