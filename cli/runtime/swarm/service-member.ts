import type { LabMember, MemberState } from '../runtime.js';
import type { ContainerSummary, ServiceSummary, SwarmNode, TaskSummary } from '../docker/docker-client.js';
import { LABEL } from '../docker/labels.js';
import { TASK_ID_LABEL } from './swarm-labels.js';

/** Task states on the way to running: the member counts as running (it was started, not yet healthy). */
const STARTING = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'starting', 'ready']);

/** The task the service runs now: the newest one meant to run, else the newest. */
export function currentTask(tasks: readonly TaskSummary[]): TaskSummary | undefined {
  const newest = [...tasks].sort((a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? ''));
  return newest.find((task) => task.DesiredState === 'running') ?? newest[0];
}

export interface ServiceMemberInput {
  readonly service: ServiceSummary;
  readonly tasks: readonly TaskSummary[];
  readonly nodes: readonly SwarmNode[];
  /** This engine's containers of the lab: a paused task shows here only. */
  readonly localContainers: readonly ContainerSummary[];
}

/** A server's service as a lab member: its state from the replica count, its task and (on this node) its container. */
export function memberOfService(input: ServiceMemberInput): LabMember {
  const { service } = input;
  const labels = service.Spec.Labels;
  const task = service.Spec.Mode.Replicated.Replicas === 0 ? undefined : currentTask(input.tasks);
  let state: MemberState = 'stopped';
  if (task !== undefined && task.DesiredState === 'running' && (task.Status.State === 'running' || STARTING.has(task.Status.State))) state = 'running';
  const container = task === undefined ? undefined : input.localContainers.find((c) => c.Labels[TASK_ID_LABEL] === task.ID);
  if (state === 'running' && container?.State === 'paused') state = 'paused';
  const exitCode = state === 'stopped' ? task?.Status.ContainerStatus?.ExitCode : undefined;
  const node = task?.NodeID === undefined ? undefined : input.nodes.find((n) => n.ID === task.NodeID);
  const upstreamUrl = labels[LABEL.upstreamUrl];
  return {
    name: labels[LABEL.server] ?? service.Spec.Name,
    role: 'server',
    state,
    id: service.ID,
    ...(upstreamUrl === undefined ? {} : { upstreamUrl }),
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(node === undefined ? {} : { node: node.Description?.Hostname ?? node.ID.slice(0, 12) }),
  };
}
