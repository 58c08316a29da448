import type { Command } from 'commander';
import { applyMemberAction, type MemberAction } from '../lab/member-actions.js';
import { openLab } from '../lab/open-lab.js';
import { parseName } from './option-parsers.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';

const DESCRIPTIONS: Record<MemberAction, string> = {
  kill: 'kill a server (SIGKILL); the balancer notices through its health checks',
  revive: 'start a killed server again and wait until the balancer sees it up',
  pause: 'freeze a server (SIGSTOP / docker pause): it accepts connections but never answers',
  unpause: 'resume a paused server',
};

const DONE: Record<MemberAction, string> = { kill: 'killed', revive: 'revived', pause: 'paused', unpause: 'unpaused' };

/** kill, revive, pause and unpause share one shape: a verb and a server name. */
export function registerMemberAction(program: Command, io: CommandIo, action: MemberAction): void {
  program
    .command(`${action} <server>`)
    .description(DESCRIPTIONS[action])
    .action(async (server: string, _flags: unknown, command: Command) => {
      const name = parseName('server', server);
      const lab = await openLab(labOf(command));
      const result = await applyMemberAction(lab, action, name);
      const back = result.backUpAfterMs === undefined ? '' : `; the balancer sees it up after ${result.backUpAfterMs} ms`;
      io.out(`${DONE[action]} ${result.name}${action === 'kill' ? ' (SIGKILL)' : ''}${back}`);
    });
}
