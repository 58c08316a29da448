import { applyMemberAction } from '../lab/member-actions.js';
import { serverNames, type OpenLab } from '../lab/open-lab.js';
import { addServers, namesToAdd, removeServers } from '../lab/scale.js';
import type { FaultSpec } from '../runtime/runtime.js';
import type { ScenarioAction, ScenarioFault } from './schema.js';

/** The runtime's fault spec for a scenario fault. */
export function toFaultSpec(fault: ScenarioFault): FaultSpec {
  return {
    ...(fault.errorRate === undefined ? {} : { errorRate: fault.errorRate }),
    ...(fault.latencyMs === undefined ? {} : { latencyMs: fault.latencyMs as number | [number, number] }),
    ...(fault.hang === undefined ? {} : { hang: fault.hang }),
    ...(fault.concurrency === undefined ? {} : { concurrency: fault.concurrency }),
  };
}

/** `server2 errorRate=0.3 latencyMs=100-300`, or `server2 clear`. */
export function describeFault(server: string, fault: ScenarioFault | undefined): string {
  if (fault === undefined) return `${server} clear`;
  const parts = [server];
  if (fault.errorRate !== undefined) parts.push(`errorRate=${fault.errorRate}`);
  if (fault.latencyMs !== undefined) parts.push(`latencyMs=${Array.isArray(fault.latencyMs) ? fault.latencyMs.join('-') : String(fault.latencyMs)}`);
  if (fault.hang === true) parts.push('hang');
  if (fault.concurrency !== undefined) parts.push(`concurrency=${fault.concurrency}`);
  return parts.join(' ');
}

/** A scenario action made ready to run: what the record will say, and the work itself. */
export interface PreparedAction {
  readonly action: ScenarioAction['action'];
  readonly target: string;
  /** Resolves with a note when the action found nothing to do. */
  readonly run: () => Promise<string | void>;
}

/**
 * Prepares one action against the lab. `add` without names picks the next
 * free `server<k>` now, so the record names the server it starts.
 */
export async function prepareScenarioAction(lab: OpenLab, action: ScenarioAction): Promise<PreparedAction> {
  switch (action.action) {
    case 'kill':
    case 'revive':
    case 'pause':
    case 'unpause': {
      const kind = action.action;
      return {
        action: kind,
        target: action.servers.join(', '),
        run: async () => {
          const results = await Promise.all(action.servers.map((name) => applyMemberAction(lab, kind, name)));
          const notes = results.flatMap((result) => (result.unchangedReason === undefined ? [] : [result.unchangedReason]));
          return notes.length === 0 ? undefined : notes.join('; ');
        },
      };
    }
    case 'rm':
      return {
        action: 'rm',
        target: action.servers.join(', '),
        run: async () => {
          await removeServers(lab, action.servers);
        },
      };
    case 'add': {
      const names =
        action.servers.length > 0 ? [...action.servers] : namesToAdd(serverNames(await lab.runtime.list(lab.record.lab)), [], 1);
      return {
        action: 'add',
        target: names.join(', '),
        run: async () => {
          await addServers(lab, names);
        },
      };
    }
    case 'fault': {
      const { server, fault } = action;
      return {
        action: 'fault',
        target: describeFault(server, fault),
        run: async () => {
          if (fault === undefined) await lab.admin.clearFault(server);
          else await lab.admin.setFault(server, toFaultSpec(fault));
        },
      };
    }
    case 'algorithm':
      return {
        action: 'algorithm',
        target: action.algorithm,
        run: async () => {
          await lab.admin.setAlgorithm(action.algorithm);
        },
      };
  }
}
