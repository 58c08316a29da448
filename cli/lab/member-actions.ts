import { LabError } from '../errors.js';
import { findMember, type OpenLab } from './open-lab.js';
import { waitUntil } from './wait-until.js';

export type MemberAction = 'kill' | 'revive' | 'pause' | 'unpause';

export interface MemberActionResult {
  readonly name: string;
  readonly action: MemberAction;
  /** For revive and unpause: how long until the balancer saw the server up again. */
  readonly backUpAfterMs?: number;
}

const BACK_UP_TIMEOUT_MS = 15_000;

/** Kills (SIGKILL), revives, pauses or unpauses one member of the lab. */
export async function applyMemberAction(lab: OpenLab, action: MemberAction, name: string): Promise<MemberActionResult> {
  const member = await findMember(lab, name, { allowBalancer: true });
  const labName = lab.record.lab;
  switch (action) {
    case 'kill':
      await lab.runtime.kill(labName, name);
      return { name, action };
    case 'pause':
      if (member.state === 'stopped') throw new LabError('LBLAB_BAD_INPUT', `cannot pause ${name}: it is stopped; revive it first`);
      await lab.runtime.pause(labName, name);
      return { name, action };
    case 'revive':
    case 'unpause': {
      const startedAt = Date.now();
      if (action === 'revive') await lab.runtime.revive(labName, name);
      else await lab.runtime.unpause(labName, name);
      if (member.role === 'balancer') {
        await waitUntil(() => lab.admin.stats(1_000), { timeoutMs: BACK_UP_TIMEOUT_MS, what: 'the balancer to answer again' });
      } else {
        await lab.admin.membersChanged();
        await lab.admin.waitForServers([name], BACK_UP_TIMEOUT_MS);
      }
      return { name, action, backUpAfterMs: Date.now() - startedAt };
    }
  }
}
