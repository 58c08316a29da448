import { LabError, labFlag } from '../errors.js';
import type { LabMember } from '../runtime/runtime.js';
import { balancerUrls, type LabRecord } from './lab-record.js';

/**
 * `up` of a lab that has live members. When its balancer is not running the
 * lab is not really up: say so, and how to bring the balancer back.
 */
export function alreadyUpError(record: LabRecord, members: readonly LabMember[]): LabError {
  const flag = labFlag(record.lab);
  const balancer = members.find((m) => m.role === 'balancer');
  const where = `${record.runtime} runtime, balancer ${balancerUrls(record).url}`;
  if (balancer?.state !== 'running') {
    const state = balancer === undefined ? 'missing' : balancer.state;
    const fix = state === 'paused' ? `lblab unpause balancer${flag}` : `lblab revive balancer${flag}`;
    const servers = members.filter((m) => m.role === 'server' && m.state === 'running').length;
    return new LabError(
      'LBLAB_LAB_ALREADY_UP',
      `lab "${record.lab}" has ${servers} running server${servers === 1 ? '' : 's'} but its balancer is ${state} (${where}); ` +
        `start afresh with \`lblab down${flag}\` then \`lblab up${flag}\`, or bring it back: ${fix}`,
    );
  }
  return new LabError(
    'LBLAB_LAB_ALREADY_UP',
    `lab "${record.lab}" is already up (${where}); use it, pick another name with --lab, or take it down first: lblab down${flag}`,
  );
}
