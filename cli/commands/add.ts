import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { addServers } from '../lab/scale.js';
import { parseInteger, parseName } from './option-parsers.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';

export function registerAdd(program: Command, io: CommandIo): void {
  program
    .command('add [names...]')
    .description('start new servers and register them with the balancer (names default to the next free serverN)')
    .option('--n <count>', 'how many servers to add (at least the number of names given)')
    .action(async (names: string[], flags: { n?: string }, command: Command) => {
      const lab = await openLab(labOf(command));
      const n = flags.n === undefined ? undefined : parseInteger('--n', flags.n, { min: 1, max: 64 });
      const added = await addServers(lab, names.map((name) => parseName('server name', name)), n);
      io.out(`added ${added.join(', ')}; the balancer sees ${added.length === 1 ? 'it' : 'them'} up`);
    });
}
