import type { Command } from 'commander';
import { MAX_LAB_SERVERS } from '../lab/lab-limits.js';
import { openLab } from '../lab/open-lab.js';
import { scaleTo } from '../lab/scale-to.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';
import { parseInteger } from './option-parsers.js';

export function registerScale(program: Command, io: CliIo): void {
  program
    .command('scale <servers>')
    .description('add or remove servers until the lab has this many (new ones are server<k>; the last ones are removed first)')
    .addHelpText(
      'after',
      `
Examples:
  lblab scale 5         from 3 servers: adds server4 and server5
  lblab scale 2         from 5 servers: removes server5, server4 and server3`,
    )
    .action(async (servers: string, _flags: unknown, command: Command) => {
      const count = parseInteger('servers', servers, { min: 1, max: MAX_LAB_SERVERS });
      const lab = await openLab(labOf(command));
      const result = await scaleTo(lab, count);
      const change =
        result.added.length > 0
          ? `added ${result.added.join(', ')}`
          : result.removed.length > 0
            ? `removed ${result.removed.join(', ')}`
            : 'nothing to do: the lab already has that many';
      io.note(`${change}; servers: ${result.servers.join(', ')}`);
    });
}
