import { labFlag } from '../errors.js';
import type { MemberState } from '../runtime/runtime.js';
import { findMember, type OpenLab } from './open-lab.js';
import { reRegisterMembers, type ReRegisterResult } from './re-register.js';
import { waitUntil } from './wait-until.js';

export type MemberAction = 'kill' | 'revive' | 'pause' | 'unpause';

export interface MemberActionResult {
  readonly name: string;
  readonly action: MemberAction;
  /** The member's state before the action. */
  readonly before: MemberState;
  /** False when there was nothing to do (kill of a stopped server, revive of a running one...): nothing was changed. */
  readonly changed: boolean;
  /** Why nothing was changed, for the user: `server2 is already stopped; nothing was changed`. */
  readonly unchangedReason?: string;
  /** For revive and unpause: how long until the balancer saw the server up again. */
  readonly backUpAfterMs?: number;
  /** For revive of the balancer: its servers made to match the lab's members again after its restart. */
  readonly reRegistered?: ReRegisterResult;
}

const BACK_UP_TIMEOUT_MS = 15_000;

/** Why `action` has nothing to do on a member in `state` (said to the user as it is), or undefined when it has work to do. */
export function nothingToDo(action: MemberAction, name: string, state: MemberState, lab = 'lblab'): string | undefined {
  const stopped = state === 'stopped' || state === 'missing';
  const reviveHint = `; bring it back with \`lblab revive ${name}${labFlag(lab)}\``;
  const unchanged = (reason: string, hint = ''): string => `${reason}; nothing was changed${hint}`;
  switch (action) {
    case 'kill':
      return stopped ? unchanged(`${name} is already stopped`) : undefined;
    case 'pause':
      if (state === 'paused') return unchanged(`${name} is already paused`);
      return stopped ? unchanged(`${name} is stopped, so it cannot be paused`, reviveHint) : undefined;
    case 'revive':
      return state === 'running' ? unchanged(`${name} is already running`) : undefined;
    case 'unpause':
      if (state === 'running') return unchanged(`${name} is not paused (it is running)`);
      return stopped ? unchanged(`${name} is not paused (it is stopped)`, reviveHint) : undefined;
  }
}

/**
 * Kills (SIGKILL), revives, pauses or unpauses one member of the lab, a
 * server or the balancer. When the member is already in the state asked for
 * (or the action cannot apply to its state), changes nothing and says why.
 */
export async function applyMemberAction(lab: OpenLab, action: MemberAction, name: string): Promise<MemberActionResult> {
  const member = await findMember(lab, name, { allowBalancer: true });
  const labName = lab.record.lab;
  const before = member.state;
  const unchangedReason = nothingToDo(action, name, before, labName);
  if (unchangedReason !== undefined) return { name, action, before, changed: false, unchangedReason };
  switch (action) {
    case 'kill':
      await lab.runtime.kill(labName, name);
      return { name, action, before, changed: true };
    case 'pause':
      await lab.runtime.pause(labName, name);
      return { name, action, before, changed: true };
    case 'revive':
    case 'unpause': {
      const startedAt = Date.now();
      if (action === 'revive') await lab.runtime.revive(labName, name);
      else await lab.runtime.unpause(labName, name);
      if (member.role === 'balancer') {
        await waitUntil(() => lab.admin.stats(1_000), { timeoutMs: BACK_UP_TIMEOUT_MS, what: 'the balancer to answer again' });
        // A restarted balancer knows only the servers of its start-up configuration.
        const backUpAfterMs = Date.now() - startedAt;
        if (action === 'unpause') return { name, action, before, changed: true, backUpAfterMs };
        return { name, action, before, changed: true, backUpAfterMs, reRegistered: await reRegisterMembers(lab) };
      }
      await lab.admin.membersChanged();
      await lab.admin.waitForServers([name], BACK_UP_TIMEOUT_MS);
      return { name, action, before, changed: true, backUpAfterMs: Date.now() - startedAt };
    }
  }
}
