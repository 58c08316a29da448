import { LabError } from '../errors.js';
import { recentLogLines } from './member-logs.js';
import { serverNames, type OpenLab } from './open-lab.js';
import { serverName } from './up.js';

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

/** Starts new servers and registers them with the balancer; resolves once they are healthy. */
export async function addServers(lab: OpenLab, requested: readonly string[], n?: number): Promise<string[]> {
  const existing = serverNames(await lab.runtime.list(lab.record.lab));
  const names = namesToAdd(existing, requested, n);
  const info = { lab: lab.record.lab, port: lab.record.port, adminPort: lab.record.adminPort, ...(lab.token === undefined ? {} : { token: lab.token }) };
  const started = await Promise.all(names.map((name) => lab.runtime.startServer(info, { name, app: lab.record.app })));
  await lab.admin.addServers(started.map((m) => ({ name: m.name, url: m.upstreamUrl ?? '' })));
  try {
    await lab.admin.waitForServers(names, ADD_READY_TIMEOUT_MS);
  } catch (error) {
    const logs = await Promise.all(names.map(async (name) => `--- ${name}:\n${await recentLogLines(lab.runtime, lab.record.lab, name)}`));
    throw new LabError('LBLAB_NOT_READY', `${(error as Error).message}\n${logs.join('\n')}`, { cause: error });
  }
  return names;
}

/** Takes servers out of the balancer, then stops and deletes them. */
export async function removeServers(lab: OpenLab, names: readonly string[]): Promise<void> {
  if (names.length === 0) throw new LabError('LBLAB_BAD_INPUT', 'rm needs at least one server name, e.g. `lblab rm server4`', { exitCode: 2 });
  const existing = serverNames(await lab.runtime.list(lab.record.lab));
  const unknown = names.filter((name) => !existing.includes(name));
  if (unknown.length > 0) {
    throw new LabError('LBLAB_UNKNOWN_SERVER', `unknown server "${unknown.join('", "')}"; servers: ${existing.join(', ')}`);
  }
  const registered = (await lab.admin.replicas()).replicas;
  const toDeregister = names.filter((name) => registered.includes(name));
  if (toDeregister.length > 0) await lab.admin.removeServers(toDeregister);
  for (const name of names) await lab.runtime.remove(lab.record.lab, name);
}
