import { LabError } from '../errors.js';
import { MAX_LAB_SERVERS } from './lab-limits.js';
import { serverNames, type OpenLab } from './open-lab.js';
import { addServers, removeServers } from './scale.js';

export interface ScaleResult {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly servers: readonly string[];
}

/** The servers to remove to go from `existing` down to `count`: the last in natural order (server10 after server9). */
export function serversToRemove(existing: readonly string[], count: number): string[] {
  return existing.slice(count);
}

/** Adds or removes servers until the lab has `count` (new ones are named server<k>, the last ones go first). */
export async function scaleTo(lab: OpenLab, count: number): Promise<ScaleResult> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_LAB_SERVERS) {
    throw new LabError('LBLAB_BAD_INPUT', `scale must be an integer from 1 to ${MAX_LAB_SERVERS}, got ${count}`, { exitCode: 2 });
  }
  const existing = serverNames(await lab.runtime.list(lab.record.lab));
  let added: string[] = [];
  let removed: string[] = [];
  if (count > existing.length) {
    added = [...(await addServers(lab, [], count - existing.length)).names];
  } else if (count < existing.length) {
    removed = serversToRemove(existing, count);
    await removeServers(lab, removed);
  }
  return { added, removed, servers: serverNames(await lab.runtime.list(lab.record.lab)) };
}
