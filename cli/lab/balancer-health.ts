import type { ServerHealth } from '../../balancer/api-types.js';
import type { ControlStats } from '../balancers/balancer-control.js';
import { waitUntil } from './wait-until.js';

/** Resolves once the balancer reports every one of `names` with the wanted health. */
export async function waitForHealth(
  admin: { stats(timeoutMs?: number): Promise<ControlStats> },
  names: readonly string[],
  health: ServerHealth,
  timeoutMs: number,
): Promise<ControlStats> {
  let last: ControlStats | undefined;
  try {
    return await waitUntil(
      async () => {
        last = await admin.stats(2_000);
        const reached = names.every((name) => last?.servers.find((s) => s.name === name)?.health === health);
        return reached ? last : undefined;
      },
      { timeoutMs, intervalMs: 50, what: `${names.join(', ')} to be ${health}` },
    );
  } catch (error) {
    if (last !== undefined) {
      const seen = names.map((name) => `${name}: ${last?.servers.find((s) => s.name === name)?.health ?? 'not registered'}`);
      (error as Error).message += ` (balancer sees ${seen.join(', ')})`;
    }
    throw error;
  }
}
