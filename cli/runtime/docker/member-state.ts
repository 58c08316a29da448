import type { LabMember, MemberRole, MemberState } from '../runtime.js';
import type { ContainerSummary } from './docker-client.js';
import { LABEL } from './labels.js';

/** The engine's container state as a member state. */
export function memberState(engineState: string): MemberState {
  switch (engineState) {
    case 'running':
    case 'restarting':
      return 'running';
    case 'paused':
      return 'paused';
    default:
      // created, exited, dead, removing
      return 'stopped';
  }
}

/** The exit code in `docker ps` status text: `Exited (137) 3 seconds ago` gives 137. */
export function exitCodeOfStatus(status: string): number | undefined {
  const match = /^Exited \((-?\d+)\)/.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function memberOf(container: ContainerSummary): LabMember {
  const labels = container.Labels;
  const role: MemberRole = labels[LABEL.role] === 'balancer' ? 'balancer' : 'server';
  const state = memberState(container.State);
  const exitCode = state === 'stopped' ? exitCodeOfStatus(container.Status) : undefined;
  const upstreamUrl = labels[LABEL.upstreamUrl];
  return {
    name: labels[LABEL.server] ?? container.Names[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12),
    role,
    state,
    id: container.Id,
    ...(upstreamUrl === undefined ? {} : { upstreamUrl }),
    ...(exitCode === undefined ? {} : { exitCode }),
  };
}

/** Servers in natural order (server2 before server10), the balancer last. */
export function compareMembers(a: LabMember, b: LabMember): number {
  if (a.role !== b.role) return a.role === 'balancer' ? 1 : -1;
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}
