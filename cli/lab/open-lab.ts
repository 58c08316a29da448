import { LabError } from '../errors.js';
import type { LabMember, Runtime } from '../runtime/runtime.js';
import { dockerRuntimeIfAnswering, runtimeOfKind } from '../runtime/select-runtime.js';
import type { BalancerControl } from '../balancers/balancer-control.js';
import { isBalancerKind } from '../balancers/balancer-kind.js';
import { createBalancerControl } from '../balancers/create-control.js';
import { DEFAULT_HEALTH } from '../../balancer/config/config.js';
import { naturalCompare } from '../load/natural-compare.js';
import { readLabRecord, type LabRecord } from './lab-record.js';

export interface OpenLab {
  readonly record: LabRecord;
  readonly runtime: Runtime;
  /** The balancer, whatever its kind (lblab, HAProxy, nginx). */
  readonly admin: BalancerControl;
}

/** Finds a lab that `up` started, or says it is not up. */
export async function openLab(lab: string): Promise<OpenLab> {
  const record = (await readLabRecord(lab)) ?? (await recordFromDockerLabels(lab));
  if (record === undefined) {
    throw new LabError('LBLAB_LAB_NOT_UP', `lab "${lab}" is not up; start it with \`lblab up${lab === 'lblab' ? '' : ` --lab ${lab}`}\``);
  }
  const runtime = await runtimeOfKind(record.runtime);
  const kind = record.balancer?.kind ?? 'lblab';
  return { record, runtime, admin: createBalancerControl({ kind, lab: record.lab, adminPort: record.adminPort, runtime }) };
}

/**
 * A Docker lab is found from the engine's labels even without its record
 * (started from another folder, or the record was lost in a crash).
 */
async function recordFromDockerLabels(lab: string): Promise<LabRecord | undefined> {
  const found = await (await dockerRuntimeIfAnswering())?.labFromLabels(lab);
  if (found === undefined) return undefined;
  return {
    lab,
    runtime: 'docker',
    app: found.app === 'greeting' ? 'greeting' : 'factorial',
    port: found.port,
    adminPort: found.adminPort,
    ...(isBalancerKind(found.balancerKind) ? { balancer: { kind: found.balancerKind } } : {}),
    algorithm: 'round-robin',
    health: DEFAULT_HEALTH,
    createdAt: new Date().toISOString(),
  };
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
    .sort(naturalCompare);
}
