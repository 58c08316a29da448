import { LabError, labFlag, withFix } from '../errors.js';
import type { LabMember, Runtime } from '../runtime/runtime.js';
import { dockerRuntimeIfAnswering, runtimeOfKind, swarmRuntimeIfItHolds } from '../runtime/select-runtime.js';
import type { BalancerControl } from '../balancers/balancer-control.js';
import { isBalancerKind } from '../balancers/balancer-kind.js';
import { createBalancerControl } from '../balancers/create-control.js';
import { DEFAULT_HEALTH } from '../../balancer/config/config.js';
import { naturalCompare } from '../load/natural-compare.js';
import { readLabRecord, type LabRecord } from './lab-record.js';
import { readLabToken } from './lab-token.js';

export interface OpenLab {
  readonly record: LabRecord;
  readonly runtime: Runtime;
  /** The balancer, whatever its kind (lblab, HAProxy, nginx). */
  readonly admin: BalancerControl;
  /** The lab's admin token; undefined when its admin auth is off. */
  readonly token: string | undefined;
}

/** Finds a lab that `up` started, with its admin token, or says it is not up. */
export async function openLab(lab: string): Promise<OpenLab> {
  const recorded = await readLabRecord(lab);
  const found = recorded === undefined ? await labFromDockerLabels(lab) : undefined;
  const record = recorded ?? found?.record;
  if (record === undefined) {
    throw new LabError('LBLAB_LAB_NOT_UP', withFix(`lab "${lab}" is not up`, 'Start it', `lblab up${labFlag(lab)}`));
  }
  let token = record.adminAuth === 'none' ? undefined : found !== undefined ? found.token : await readLabToken(lab);
  // A Docker lab whose token file is lost (the folder was cleaned): its balancer still has it.
  if (token === undefined && found === undefined && record.adminAuth !== 'none' && (record.runtime === 'docker' || record.runtime === 'swarm')) {
    token = (await labFromDockerLabels(lab))?.token;
  }
  const runtime = await runtimeOfKind(record.runtime);
  const kind = record.balancer?.kind ?? 'lblab';
  const host = record.host ?? runtime.publishedHost?.();
  const admin = createBalancerControl({ kind, lab: record.lab, adminPort: record.adminPort, runtime, ...(token === undefined ? {} : { token }), ...(host === undefined ? {} : { host }) });
  return { record: host === undefined || record.host !== undefined ? record : { ...record, host }, runtime, admin, token };
}

/**
 * A Docker or swarm lab is found from the engine's labels even without its
 * record (started from another folder, or the record was lost in a crash);
 * its token from the balancer container's environment.
 */
async function labFromDockerLabels(lab: string): Promise<{ record: LabRecord; token: string | undefined } | undefined> {
  const swarm = await swarmRuntimeIfItHolds(lab);
  const found = await (swarm?.docker ?? (await dockerRuntimeIfAnswering()))?.labFromLabels(lab);
  if (found === undefined) return undefined;
  const record: LabRecord = {
    lab,
    runtime: swarm === undefined ? 'docker' : 'swarm',
    app: found.app === 'greeting' ? 'greeting' : 'factorial',
    port: found.port,
    adminPort: found.adminPort,
    ...(isBalancerKind(found.balancerKind) ? { balancer: { kind: found.balancerKind } } : {}),
    algorithm: 'round-robin',
    health: DEFAULT_HEALTH,
    adminAuth: found.token === undefined ? 'none' : 'token',
    createdAt: new Date().toISOString(),
  };
  return { record, token: found.token };
}

/** The lab's server (or balancer) called `name`, or an error listing the servers there are. */
export async function findMember(lab: OpenLab, name: string, options: { allowBalancer?: boolean } = {}): Promise<LabMember> {
  const members = await lab.runtime.list(lab.record.lab);
  const member = members.find((m) => m.name === name && (m.role === 'server' || options.allowBalancer === true));
  if (member !== undefined) return member;
  const servers = serverNames(members);
  throw new LabError(
    'LBLAB_UNKNOWN_SERVER',
    withFix(`unknown server "${name}"; servers: ${servers.length === 0 ? '(none)' : servers.join(', ')}`, 'Their states', `lblab status${labFlag(lab.record.lab)}`),
  );
}

export function serverNames(members: readonly LabMember[]): string[] {
  return members
    .filter((m) => m.role === 'server')
    .map((m) => m.name)
    .sort(naturalCompare);
}
