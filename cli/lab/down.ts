import type { Runtime } from '../runtime/runtime.js';
import { dockerRuntimeIfAnswering, runtimeOfKind, swarmRuntimeIfItHolds } from '../runtime/select-runtime.js';
import { ProcessRuntime } from '../runtime/process/process-runtime.js';
import { readLabRecord, removeLabRecord } from './lab-record.js';

export interface DownResult {
  readonly lab: string;
  readonly runtime?: string;
  readonly removed: readonly string[];
  readonly errors: readonly Error[];
  /** What could not be looked at (a Docker engine that did not answer), so "nothing was running" is not claimed for it. */
  readonly unchecked: readonly string[];
}

/**
 * Stops and removes everything of a lab. Finds members from the runtime, not
 * only from the record, and gathers every error instead of stopping at the first.
 */
export async function down(lab: string, options: { dockerToo?: boolean } = {}): Promise<DownResult> {
  const record = await readLabRecord(lab);
  const runtimes: Runtime[] = [];
  if (record !== undefined) runtimes.push(await runtimeOfKind(record.runtime));
  else runtimes.push(new ProcessRuntime());
  const unchecked: string[] = [];
  if (options.dockerToo === true && record?.runtime !== 'docker' && record?.runtime !== 'swarm') {
    // A swarm lab's teardown removes its services first, then what the docker runtime would.
    const docker = (await swarmRuntimeIfItHolds(lab)) ?? (await dockerRuntimeIfAnswering());
    if (docker !== undefined) runtimes.push(docker);
    else unchecked.push('Docker (no engine answered)');
  }
  const removed: string[] = [];
  const errors: Error[] = [];
  for (const runtime of runtimes) {
    const result = await runtime.down(lab).catch((error: Error) => ({ removed: [], errors: [error] }));
    removed.push(...result.removed);
    errors.push(...result.errors);
  }
  if (errors.length === 0) await removeLabRecord(lab);
  return { lab, ...(record === undefined ? {} : { runtime: record.runtime }), removed, errors, unchecked };
}
