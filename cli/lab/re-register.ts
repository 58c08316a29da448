import type { OpenLab } from './open-lab.js';

export interface ReRegisterResult {
  /** Running or paused member servers the balancer did not know, now registered. */
  readonly registered: readonly string[];
  /** Servers the balancer knew that are no members of the lab (removed with `lblab rm` before it restarted), now deregistered. */
  readonly deregistered: readonly string[];
}

/**
 * Makes a restarted balancer's servers match the lab's members again: it
 * starts from the configuration `up` gave it, which knows nothing of the
 * servers added or removed since.
 */
export async function reRegisterMembers(lab: OpenLab): Promise<ReRegisterResult> {
  const [members, replicas] = await Promise.all([lab.runtime.list(lab.record.lab), lab.admin.replicas()]);
  const servers = members.filter((m) => m.role === 'server');
  const known = new Set(replicas.replicas);
  const toRegister = servers.filter((m) => (m.state === 'running' || m.state === 'paused') && !known.has(m.name) && m.upstreamUrl !== undefined);
  const memberNames = new Set(servers.map((m) => m.name));
  const toDeregister = replicas.replicas.filter((name) => !memberNames.has(name));
  if (toDeregister.length > 0) await lab.admin.removeServers(toDeregister);
  if (toRegister.length > 0) await lab.admin.addServers(toRegister.map((m) => ({ name: m.name, url: m.upstreamUrl ?? '' })));
  return { registered: toRegister.map((m) => m.name), deregistered: toDeregister };
}
