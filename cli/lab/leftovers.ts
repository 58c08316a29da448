import { access } from 'node:fs/promises';
import { labDir } from '../paths.js';
import { isAlive } from '../runtime/process/proc-state.js';
import { ProcessRuntime } from '../runtime/process/process-runtime.js';
import { dockerRuntimeIfAnswering } from '../runtime/select-runtime.js';
import { readLabRecord } from './lab-record.js';

/** How long each look at a runtime may take: this runs while the user waits to quit. */
const LOOK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${LOOK_TIMEOUT_MS} ms`)), LOOK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** What is left of a lab, one phrase each: processes, containers, network, state folder. */
export async function leftoverItems(lab: string): Promise<string[]> {
  const items: string[] = [];
  const record = await readLabRecord(lab).catch(() => undefined);
  const processes = await new ProcessRuntime().list(lab).catch(() => []);
  for (const member of processes.filter((m) => isAlive(m.state))) items.push(`process ${member.id ?? '?'} (${member.name}, ${member.state})`);
  if (record === undefined || record.runtime === 'docker' || record.runtime === 'swarm') {
    try {
      // A swarm lab's task containers on this node and its balancer are containers too.
      const docker = await withTimeout(dockerRuntimeIfAnswering(), 'the Docker engine');
      if (docker !== undefined) items.push(...(await withTimeout(docker.leftovers(lab), 'the Docker engine')));
      else if (record?.runtime === 'docker' || record?.runtime === 'swarm') items.push(`containers and network of lab ${lab} (no Docker engine answered to list them)`);
    } catch (error) {
      items.push(`containers and network of lab ${lab} (the Docker engine could not list them: ${(error as Error).message})`);
    }
  }
  const dir = labDir(lab);
  if (await access(dir).then(() => true, () => false)) items.push(`state folder ${dir}`);
  return items;
}

/** `left behind: ...; remove it with lblab down --lab NAME`, or that nothing is left. */
export async function describeLeftovers(lab: string): Promise<string> {
  const items = await leftoverItems(lab);
  if (items.length === 0) return `nothing of lab ${lab} is left`;
  return `left of lab ${lab} now:\n${items.map((item) => `  - ${item}`).join('\n')}\nremove it with: lblab down --lab ${lab}`;
}
