import { readFile, rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { HealthCheckOptions } from '../../balancer/config/config.js';
import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { RuntimeKind, SampleApp } from '../runtime/runtime.js';
import type { BalancerIdentity } from '../balancers/balancer-kind.js';
import { labDir } from '../paths.js';
import { ensureLabDir } from './lab-dir.js';

/** `token`: the admin API and the servers' /_lab routes want the lab's token; `none`: anyone on the machine may use them. */
export type AdminAuth = 'token' | 'none';

/** What `up` records about a lab so any later command, from any shell, finds it. */
export interface LabRecord {
  readonly lab: string;
  readonly runtime: RuntimeKind;
  readonly app: SampleApp;
  readonly port: number;
  readonly adminPort: number;
  /** The algorithm the lab started with; the balancer holds the current one. */
  readonly algorithm: AlgorithmName;
  readonly health: HealthCheckOptions;
  /** `tcp` when the balancer relays connections (`up --mode tcp`); left out for http. */
  readonly mode?: 'http' | 'tcp';
  /** Absent in records of labs started before admin tokens: treated as `token` (a missing token file then means none). */
  readonly adminAuth?: AdminAuth;
  readonly createdAt: string;
  /** Which balancer runs (absent in records of labs started before HAProxy and nginx: lblab). */
  readonly balancer?: BalancerIdentity;
  /** Where this machine reaches the published ports (a remote engine's host, see publishedAddress); absent: 127.0.0.1. */
  readonly host?: string;
}

/** The host of the lab's URLs on this machine. */
export function labHost(record: Pick<LabRecord, 'host'>): string {
  return record.host ?? '127.0.0.1';
}

function recordPath(lab: string): string {
  return path.join(labDir(lab), 'lab.json');
}

export async function readLabRecord(lab: string): Promise<LabRecord | undefined> {
  try {
    return JSON.parse(await readFile(recordPath(lab), 'utf8')) as LabRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function writeLabRecord(record: LabRecord): Promise<void> {
  const file = recordPath(record.lab);
  await ensureLabDir(record.lab);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, file);
}

export async function removeLabRecord(lab: string): Promise<void> {
  await rm(labDir(lab), { recursive: true, force: true });
}

export function balancerUrls(record: Pick<LabRecord, 'port' | 'adminPort' | 'host'>): { url: string; adminUrl: string } {
  const host = labHost(record);
  return { url: `http://${host}:${record.port}`, adminUrl: `http://${host}:${record.adminPort}` };
}
