import type { Command } from 'commander';
import { ALGORITHM_NAMES } from '../../balancer/algorithms/algorithm.js';
import { openLab } from '../lab/open-lab.js';
import { parseChoice } from './option-parsers.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';

export function registerAlgorithm(program: Command, io: CliIo): void {
  program
    .command('algorithm [name]')
    .description(`show or switch the balancing algorithm at run time (${ALGORITHM_NAMES.join(', ')})`)
    .action(async (name: string | undefined, _flags: unknown, command: Command) => {
      const algorithm = name === undefined ? undefined : parseChoice('algorithm', name, ALGORITHM_NAMES);
      const lab = await openLab(labOf(command));
      if (algorithm === undefined) {
        io.out((await lab.admin.stats()).algorithm);
        return;
      }
      const before = (await lab.admin.stats()).algorithm;
      const how = await lab.admin.setAlgorithm(algorithm);
      io.note(`algorithm ${before} -> ${algorithm}${how === undefined ? '' : `: ${how}`}`);
    });
}
