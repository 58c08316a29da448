import { waitForHealth } from './balancer-health.js';
import { findMember, type OpenLab } from './open-lab.js';
import { waitUntil } from './wait-until.js';

const BACK_UP_TIMEOUT_MS = 15_000;

export interface RestartResult {
  readonly name: string;
  /** From the stop to the balancer seeing the member up again (for the balancer: answering again). */
  readonly backUpAfterMs: number;
}

/** Stops a member gracefully (SIGTERM, then SIGKILL), starts it again with the same settings, and waits until it serves. */
export async function restartMember(lab: OpenLab, name: string): Promise<RestartResult> {
  const member = await findMember(lab, name, { allowBalancer: true });
  const startedAt = Date.now();
  await lab.runtime.stop(lab.record.lab, name);
  await lab.runtime.revive(lab.record.lab, name);
  if (member.role === 'balancer') {
    await waitUntil(() => lab.admin.stats(1_000), { timeoutMs: BACK_UP_TIMEOUT_MS, what: 'the balancer to answer again' });
  } else {
    await waitForHealth(lab.admin, [name], 'up', BACK_UP_TIMEOUT_MS);
  }
  return { name, backUpAfterMs: Date.now() - startedAt };
}
