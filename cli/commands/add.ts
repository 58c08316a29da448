import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { addServers } from '../lab/scale.js';
import { MAX_LAB_SERVERS } from '../lab/lab-limits.js';
import { integerArg, parseName, parsedOption } from './option-parsers.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';

export function registerAdd(program: Command, io: CliIo): void {
  program
    .command('add [names...]')
    .description('start new servers and register them with the balancer (names default to the next free serverN); a server of the lab that is not registered is registered again')
    .addOption(parsedOption('--n <count>', 'how many servers to add (at least the number of names given)', integerArg({ min: 1, max: MAX_LAB_SERVERS })))
    .action(async (names: string[], flags: { n?: number }, command: Command) => {
      const parsed = names.map((name) => parseName('server name', name));
      const lab = await openLab(labOf(command));
      const added = await addServers(lab, parsed, flags.n);
      const parts: string[] = [];
      if (added.started.length > 0) parts.push(`added ${added.started.join(', ')}`);
      if (added.adopted.length > 0) parts.push(`registered ${added.adopted.join(', ')} again (it was a member of the lab but not registered)`);
      io.note(`${parts.join('; ')}; the balancer sees ${added.names.length === 1 ? 'it' : 'them'} up`);
    });
}
