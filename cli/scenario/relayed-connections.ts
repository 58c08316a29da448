import type { RunConnections } from '../report/run-summary.js';
import type { ScenarioLab } from './scenario-lab.js';

/** Client connections the balancer relayed to each server so far; undefined when it is not in tcp mode (or does not say). */
export async function relayedConnections(lab: ScenarioLab): Promise<ReadonlyMap<string, number> | undefined> {
  const stats = await lab.open.admin.stats().catch(() => undefined);
  if (stats?.mode !== 'tcp') return undefined;
  return new Map(stats.servers.map((server) => [server.name, server.connections ?? 0]));
}

/** The connections relayed between two readings, per server (a server added meanwhile counts from 0). Pure. */
export function connectionsDuring(
  before: ReadonlyMap<string, number> | undefined,
  after: ReadonlyMap<string, number> | undefined,
): RunConnections | undefined {
  if (before === undefined || after === undefined) return undefined;
  const byServer: Record<string, number> = {};
  let total = 0;
  for (const [name, count] of after) {
    const during = Math.max(0, count - (before.get(name) ?? 0));
    byServer[name] = during;
    total += during;
  }
  return { total, byServer };
}
