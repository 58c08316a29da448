import { LabError } from '../errors.js';
import type { LabMember, Runtime } from '../runtime/runtime.js';
import { runtimeOfKind } from '../runtime/select-runtime.js';
import { AdminClient } from './admin-client.js';
import { readLabRecord, type LabRecord } from './lab-record.js';

export interface OpenLab {
  readonly record: LabRecord;
  readonly runtime: Runtime;
  readonly admin: AdminClient;
}

/** Finds a lab that `up` started, or says it is not up. */
export async function openLab(lab: string): Promise<OpenLab> {
  const record = await readLabRecord(lab);
  if (record === undefined) {
    throw new LabError('LBLAB_LAB_NOT_UP', `lab "${lab}" is not up; start it with \`lblab up${lab === 'lblab' ? '' : ` --lab ${lab}`}\``);
  }
  const runtime = await runtimeOfKind(record.runtime);
  return { record, runtime, admin: new AdminClient(`http://127.0.0.1:${record.adminPort}`) };
}

/** The lab's server (or balancer) called `name`, or an error listing the servers there are. */
export async function findMember(lab: OpenLab, name: string, options: { allowBalancer?: boolean } = {}): Promise<LabMember> {
  const members = await lab.runtime.list(lab.record.lab);
  const member = members.find((m) => m.name === name && (m.role === 'server' || options.allowBalancer === true));
  if (member !== undefined) return member;
  const servers = serverNames(members);
  throw new LabError(
    'LBLAB_UNKNOWN_SERVER',
    `unknown server "${name}"; servers: ${servers.length === 0 ? '(none)' : servers.join(', ')}`,
  );
}

export function serverNames(members: readonly LabMember[]): string[] {
  return members
    .filter((m) => m.role === 'server')
    .map((m) => m.name)
    .sort(byNaturalName);
}

/** server2 before server10. */
export function byNaturalName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
