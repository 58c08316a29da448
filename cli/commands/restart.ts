import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { restartMember } from '../lab/restart-member.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';
import { parseName } from './option-parsers.js';

export function registerRestart(program: Command, io: CliIo): void {
  program
    .command('restart <member>')
    .description('stop a server or the balancer gracefully (SIGTERM, then SIGKILL after 3 s), start it again, and wait until it serves')
    .addHelpText(
      'after',
      `
Examples:
  lblab restart server2
  lblab --lab blue restart balancer`,
    )
    .action(async (member: string, _flags: unknown, command: Command) => {
      const lab = await openLab(labOf(command));
      const result = await restartMember(lab, parseName('member', member));
      io.note(`restarted ${result.name}; it serves again after ${result.backUpAfterMs} ms`);
    });
}
