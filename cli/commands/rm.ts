import type { Command } from 'commander';
import { openLab } from '../lab/open-lab.js';
import { removeServers, type RemovedServer } from '../lab/scale.js';
import { parseName } from './option-parsers.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';

/** `removed server4`, or which half of it there was: a member not registered, or a registration with no member. */
export function describeRemoved(server: RemovedServer): string {
  if (server.deregistered && server.removedMember) return `removed ${server.name}`;
  if (server.deregistered) return `removed ${server.name}: deregistered from the balancer (it was no member of the lab)`;
  return `removed ${server.name}: stopped and deleted (it was not registered with the balancer)`;
}

export function registerRm(program: Command, io: CliIo): void {
  program
    .command('rm <names...>')
    .description('take servers out of the balancer, then stop and remove them; also a server only registered (added through the admin API) or only running (removed through it)')
    .action(async (names: string[], _flags: unknown, command: Command) => {
      const parsed = names.map((name) => parseName('server name', name));
      const lab = await openLab(labOf(command));
      const result = await removeServers(lab, parsed);
      for (const server of result.removed) io.note(describeRemoved(server));
      if (result.balancerUnreachable !== undefined) io.err(`warning: nothing was deregistered: ${result.balancerUnreachable}`);
    });
}
