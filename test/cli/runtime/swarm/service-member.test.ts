import { describe, expect, it } from 'vitest';
import type { ContainerSummary, ServiceSummary, TaskSummary } from '../../../../cli/runtime/docker/docker-client.js';
import { serverServiceSpec, withReplicas } from '../../../../cli/runtime/swarm/service-spec.js';
import { memberOfService } from '../../../../cli/runtime/swarm/service-member.js';
import { DEFAULT_SERVER_LIMITS } from '../../../../cli/runtime/docker/container-specs.js';

const spec = serverServiceSpec({ lab: 'l1', port: 8080, adminPort: 8081 }, { name: 'server2', app: 'factorial' }, 'lblab/server:abc', DEFAULT_SERVER_LIMITS, []);
const service = (replicas: number): ServiceSummary => ({ ID: 'svc2', Version: { Index: 7 }, Spec: withReplicas(spec, replicas) });
const task = (id: string, state: string, createdAt: string, desired = 'running', extra: Partial<TaskSummary> = {}): TaskSummary => ({
  ID: id,
  ServiceID: 'svc2',
  NodeID: 'n1',
  DesiredState: desired,
  Status: { State: state },
  CreatedAt: createdAt,
  ...extra,
});
const nodes = [{ ID: 'n1', Description: { Hostname: 'node-one' } }];
const container = (taskId: string, state: string): ContainerSummary => ({
  Id: 'c1',
  Names: ['/x'],
  Image: 'lblab/server:abc',
  State: state,
  Status: '',
  Labels: { 'com.docker.swarm.task.id': taskId },
});

describe('serverServiceSpec', () => {
  it('makes a one-replica dnsrr service, reachable by the server name on the lab network, killed with SIGKILL and never restarted', () => {
    expect(spec).toMatchObject({
      Name: 'l1-server2',
      Labels: { 'lblab.lab': 'l1', 'lblab.role': 'server', 'lblab.server': 'server2', 'lblab.upstream-url': 'http://server2:3000' },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'dnsrr' },
      TaskTemplate: {
        ContainerSpec: { StopSignal: 'SIGKILL', StopGracePeriod: 0, User: '10001:10001' },
        RestartPolicy: { Condition: 'none' },
        Networks: [{ Target: 'lblab-l1', Aliases: ['server2'] }],
      },
    });
    expect(spec.TaskTemplate.Placement).toBeUndefined();
  });
});

describe('memberOfService', () => {
  it('is running on the node of its newest task meant to run', () => {
    const tasks = [task('old', 'shutdown', '2026-01-01T00:00:00Z', 'shutdown'), task('new', 'running', '2026-01-01T00:01:00Z')];
    expect(memberOfService({ service: service(1), tasks, nodes, localContainers: [] })).toEqual({
      name: 'server2',
      role: 'server',
      state: 'running',
      id: 'svc2',
      upstreamUrl: 'http://server2:3000',
      node: 'node-one',
    });
  });

  it('is stopped when scaled to 0 (killed), without a node', () => {
    const member = memberOfService({ service: service(0), tasks: [task('t', 'running', '2026-01-01T00:00:00Z', 'remove')], nodes, localContainers: [] });
    expect(member.state).toBe('stopped');
    expect(member.node).toBeUndefined();
  });

  it('is stopped with the exit code when its task died alone', () => {
    const died = task('t', 'failed', '2026-01-01T00:00:00Z', 'shutdown', { Status: { State: 'failed', ContainerStatus: { ExitCode: 137 } } });
    expect(memberOfService({ service: service(1), tasks: [died], nodes, localContainers: [] })).toMatchObject({ state: 'stopped', exitCode: 137 });
  });

  it('is paused when its task container on this node is', () => {
    const tasks = [task('t', 'running', '2026-01-01T00:00:00Z')];
    expect(memberOfService({ service: service(1), tasks, nodes, localContainers: [container('t', 'paused')] }).state).toBe('paused');
  });
});
