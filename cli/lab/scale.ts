import { LabError, labFlag, withFix } from '../errors.js';
import { recentLogLines } from './member-logs.js';
import { serverNames, type OpenLab } from './open-lab.js';
import { serverName } from './up.js';
import { naturalCompare } from '../load/natural-compare.js';

const ADD_READY_TIMEOUT_MS = 30_000;

/** The names to add: those given, then `server<k>` with the next free k until there are n. */
export function namesToAdd(existing: readonly string[], requested: readonly string[], n: number | undefined): string[] {
  const count = n ?? Math.max(requested.length, 1);
  if (requested.length > count) {
    throw new LabError(
      'LBLAB_BAD_INPUT',
      `--n ${count} is less than the ${requested.length} names given (${requested.join(', ')}); give at most ${count} names or raise --n`,
      { exitCode: 2 },
    );
  }
  const taken = new Set(existing);
  for (const name of requested) {
    if (taken.has(name)) throw new LabError('LBLAB_BAD_INPUT', `server "${name}" already exists; servers: ${existing.join(', ')}`, { exitCode: 2 });
    taken.add(name);
  }
  const names = [...requested];
  for (let k = 1; names.length < count; k++) {
    if (!taken.has(serverName(k))) {
      names.push(serverName(k));
      taken.add(serverName(k));
    }
  }
  return names;
}

export interface AddServersResult {
  /** Every server now in the lab and registered, in the order given. */
  readonly names: readonly string[];
  /** Servers started for this add. */
  readonly started: readonly string[];
  /** Members that were there but not registered (removed through the admin API): registered now, revived first when stopped. */
  readonly adopted: readonly string[];
}

function healthWaitFailure(lab: OpenLab, names: readonly string[]) {
  return async (error: unknown): Promise<never> => {
    const logs = await Promise.all(names.map(async (name) => `--- ${name}:\n${await recentLogLines(lab.runtime, lab.record.lab, name)}`));
    throw new LabError('LBLAB_NOT_READY', `${(error as Error).message}\n${logs.join('\n')}`, { cause: error });
  };
}

/**
 * Makes servers part of the lab: new ones are started; a member the
 * balancer does not know (removed through its admin API) is registered
 * again, revived first when stopped. Resolves once they are all healthy.
 */
export async function addServers(lab: OpenLab, requested: readonly string[], n?: number): Promise<AddServersResult> {
  const [members, replicas] = await Promise.all([lab.runtime.list(lab.record.lab), lab.admin.replicas()]);
  const servers = members.filter((m) => m.role === 'server');
  const registered = new Set(replicas.replicas);
  const memberNames = serverNames(members);
  const adopt = servers.filter((m) => requested.includes(m.name) && !registered.has(m.name));
  for (const name of requested) {
    const isMember = memberNames.includes(name);
    if (isMember && registered.has(name)) {
      throw new LabError('LBLAB_BAD_INPUT', `${name} is already in the lab and registered with the balancer; servers: ${memberNames.join(', ')}`, {
        exitCode: 2,
      });
    }
    if (!isMember && registered.has(name)) {
      throw new LabError(
        'LBLAB_BAD_INPUT',
        withFix(`${name} is registered with the balancer but is no member of the lab`, 'Deregister it first', `lblab rm ${name}${labFlag(lab.record.lab)}`),
        { exitCode: 2 },
      );
    }
  }
  const count = n ?? Math.max(requested.length, 1);
  const fresh = requested.filter((name) => !adopt.some((m) => m.name === name));
  if (requested.length > count) namesToAdd([], requested, count);
  const newCount = count - adopt.length;
  const toStart = newCount === 0 ? [] : namesToAdd([...new Set([...memberNames, ...registered])], fresh, newCount);

  const info = { lab: lab.record.lab, port: lab.record.port, adminPort: lab.record.adminPort, ...(lab.token === undefined ? {} : { token: lab.token }) };
  for (const member of adopt) if (member.state === 'stopped') await lab.runtime.revive(lab.record.lab, member.name);
  const started = await Promise.all(toStart.map((name) => lab.runtime.startServer(info, { name, app: lab.record.app })));
  const toRegister = [...adopt, ...started].map((m) => ({ name: m.name, url: m.upstreamUrl ?? '' }));
  await lab.admin.addServers(toRegister);
  const names = toRegister.map((s) => s.name);
  await lab.admin.waitForServers(names, ADD_READY_TIMEOUT_MS).catch(healthWaitFailure(lab, names));
  return { names, started: toStart, adopted: adopt.map((m) => m.name) };
}

export interface RemovedServer {
  readonly name: string;
  /** It was registered with the balancer, and is not any more. */
  readonly deregistered: boolean;
  /** It was a member of the lab (a process or container), now stopped and deleted. */
  readonly removedMember: boolean;
}

export interface RemoveServersResult {
  readonly removed: readonly RemovedServer[];
  /** Set when the balancer did not answer: members were removed, nothing was deregistered. */
  readonly balancerUnreachable?: string;
}

/**
 * Takes servers out of the balancer, then stops and deletes them. A name
 * may be either kind: registered with no member (added through the admin
 * API), a member not registered, or both.
 */
export async function removeServers(lab: OpenLab, names: readonly string[]): Promise<RemoveServersResult> {
  if (names.length === 0) throw new LabError('LBLAB_BAD_INPUT', 'rm needs at least one server name, e.g.: lblab rm server4', { exitCode: 2 });
  const memberNames = serverNames(await lab.runtime.list(lab.record.lab));
  let registered: readonly string[];
  let balancerUnreachable: string | undefined;
  try {
    registered = (await lab.admin.replicas()).replicas;
  } catch (error) {
    registered = [];
    balancerUnreachable = (error as Error).message;
  }
  const unknown = names.filter((name) => !memberNames.includes(name) && !registered.includes(name));
  if (unknown.length > 0) {
    const all = [...new Set([...memberNames, ...registered])].sort(naturalCompare);
    throw new LabError(
      'LBLAB_UNKNOWN_SERVER',
      withFix(`unknown server "${unknown.join('", "')}"; servers: ${all.length === 0 ? '(none)' : all.join(', ')}`, 'Their states', `lblab status${labFlag(lab.record.lab)}`),
    );
  }
  const toDeregister = names.filter((name) => registered.includes(name));
  if (toDeregister.length > 0) await lab.admin.removeServers(toDeregister);
  const toRemove = names.filter((name) => memberNames.includes(name));
  for (const name of toRemove) await lab.runtime.remove(lab.record.lab, name);
  const removed = names.map((name) => ({ name, deregistered: toDeregister.includes(name), removedMember: toRemove.includes(name) }));
  return balancerUnreachable === undefined ? { removed } : { removed, balancerUnreachable };
}
