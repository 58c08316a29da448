import type { Command } from 'commander';
import { describeMemberAction } from '../lab/describe-member-action.js';
import { applyMemberAction, type MemberAction } from '../lab/member-actions.js';
import { openLab } from '../lab/open-lab.js';
import { parseName } from './option-parsers.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';

const DESCRIPTIONS: Record<MemberAction, string> = {
  kill: 'kill a server or the balancer (SIGKILL); the balancer notices a server through its health checks',
  revive: 'start a killed server (or the balancer) again and wait until it serves again',
  pause: 'freeze a server or the balancer (SIGSTOP / docker pause): it accepts connections but never answers',
  unpause: 'resume a paused server or balancer',
};

const HELP_AFTER =
  '\n<member> is a server name (server2) or `balancer`.\n' +
  'When the member is already in the state asked for (kill of a stopped server,\n' +
  'revive of a running one, pause or unpause that does not apply), lblab says so,\n' +
  'changes nothing and exits 0.';

/** kill, revive, pause and unpause share one shape: a verb and a member name. */
export function registerMemberAction(program: Command, io: CliIo, action: MemberAction): void {
  program
    .command(`${action} <member>`)
    .description(DESCRIPTIONS[action])
    .addHelpText('after', HELP_AFTER)
    .action(async (member: string, _flags: unknown, command: Command) => {
      const name = parseName('server', member);
      const lab = await openLab(labOf(command));
      io.note(describeMemberAction(await applyMemberAction(lab, action, name), lab.record.lab));
    });
}
