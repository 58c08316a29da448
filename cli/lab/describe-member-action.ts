import { labFlag } from '../errors.js';
import type { MemberActionResult } from './member-actions.js';

const DONE = { kill: 'killed', revive: 'revived', pause: 'paused', unpause: 'unpaused' } as const;

/** One line for the user: what was done, or why nothing was. */
export function describeMemberAction(result: MemberActionResult, lab = 'lblab'): string {
  const flag = labFlag(lab);
  if (!result.changed) return result.unchangedReason ?? `${result.name} needs no ${result.action}; nothing was changed`;
  const { name, action } = result;
  const parts = [`${DONE[action]} ${name}`];
  if (action === 'kill') parts[0] += ' (SIGKILL)';
  if (action === 'revive' && result.before === 'paused') parts[0] += ' (it was paused: resumed it)';
  if (name === 'balancer') {
    if (action === 'kill' || action === 'pause') parts.push(`the lab serves nothing until \`lblab ${action === 'kill' ? 'revive' : 'unpause'} balancer${flag}\``);
    else if (result.backUpAfterMs !== undefined) parts.push(`it answers again after ${result.backUpAfterMs} ms`);
    const again = result.reRegistered;
    if (again !== undefined && again.registered.length > 0) parts.push(`registered ${again.registered.join(', ')} again`);
    if (again !== undefined && again.deregistered.length > 0) parts.push(`deregistered ${again.deregistered.join(', ')} (no such member)`);
  } else if (result.backUpAfterMs !== undefined) {
    parts.push(`the balancer sees it up after ${result.backUpAfterMs} ms`);
  }
  return parts.join('; ');
}
