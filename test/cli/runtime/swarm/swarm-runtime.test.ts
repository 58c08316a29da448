import { describe, expect, it } from 'vitest';
import type { SwarmClient, SwarmMembership, SwarmNode, TaskSummary } from '../../../../cli/runtime/docker/docker-client.js';
import { SwarmRuntime } from '../../../../cli/runtime/swarm/swarm-runtime.js';
import { serverServiceSpec } from '../../../../cli/runtime/swarm/service-spec.js';
import { DEFAULT_SERVER_LIMITS } from '../../../../cli/runtime/docker/container-specs.js';

const LAB = { lab: 'swunit', port: 18_080, adminPort: 18_081 };

/** A client that answers the swarm membership and the node list, and records every other call (none is expected). */
function fakeClient(membership: SwarmMembership, nodes: SwarmNode[], more: Record<string, unknown> = {}): { client: SwarmClient; calls: string[] } {
  const calls: string[] = [];
  const answers: Record<string, unknown> = {
    endpoint: 'unix:///fake.sock',
    swarmMembership: async () => membership,
    listNodes: async () => nodes,
    ...more,
  };
  const client = new Proxy({} as SwarmClient, {
    get(_target, property: string) {
      if (property in answers) return answers[property];
      return async () => {
        calls.push(property);
        throw new Error(`unexpected call ${property}`);
      };
    },
  });
  return { client, calls };
}

const node = (id: string, hostname: string): SwarmNode => ({ ID: id, Description: { Hostname: hostname }, Status: { State: 'ready' }, Spec: { Availability: 'active' } });

describe('SwarmRuntime.prepare', () => {
  it('says how to make the engine a swarm manager when it is in no swarm', async () => {
    const { client, calls } = fakeClient({ LocalNodeState: 'inactive', ControlAvailable: false, NodeID: '' }, []);
    await expect(new SwarmRuntime({ client }).prepare(LAB)).rejects.toMatchObject({
      code: 'LBLAB_NOT_SWARM_MANAGER',
      message:
        '--runtime swarm needs a swarm manager, but the Docker engine at unix:///fake.sock is not in a swarm (state inactive); ' +
        'make it one with `docker swarm init --advertise-addr 127.0.0.1` (or run lblab against a manager), or use --runtime docker',
    });
    expect(calls).toEqual([]);
  });

  it('refuses a worker', async () => {
    const { client } = fakeClient({ LocalNodeState: 'active', ControlAvailable: false, NodeID: 'w1' }, []);
    await expect(new SwarmRuntime({ client }).prepare(LAB)).rejects.toThrow(/is a swarm worker, not a manager/);
  });

  it('fails on a swarm of several nodes without a registry before it builds, creates or starts anything', async () => {
    const { client, calls } = fakeClient({ LocalNodeState: 'active', ControlAvailable: true, NodeID: 'm1' }, [node('m1', 'alpha'), node('w1', 'beta'), node('w2', 'gamma')]);
    await expect(new SwarmRuntime({ client }).prepare(LAB)).rejects.toMatchObject({
      code: 'LBLAB_SWARM_IMAGES',
      message: expect.stringContaining('the swarm has 3 nodes, and beta, gamma lack the image lblab/server (made on alpha only)'),
    });
    expect(calls).toEqual([]);
  });
});

describe('SwarmRuntime pause', () => {
  it('says pause is not supported for a server whose task runs on another node', async () => {
    const spec = serverServiceSpec(LAB, { name: 'server2', app: 'factorial' }, 'registry:5000/lblab/server:abc', DEFAULT_SERVER_LIMITS, []);
    const task: TaskSummary = { ID: 't2', ServiceID: 's2', NodeID: 'w1', DesiredState: 'running', Status: { State: 'running' }, CreatedAt: '2026-01-01T00:00:00Z' };
    const { client, calls } = fakeClient({ LocalNodeState: 'active', ControlAvailable: true, NodeID: 'm1' }, [node('m1', 'alpha'), node('w1', 'beta')], {
      listServices: async () => [{ ID: 's2', Version: { Index: 3 }, Spec: spec }],
      listTasks: async () => [task],
      // The engine here sees only its own containers: the task's is on beta.
      listContainers: async () => [],
    });
    await expect(new SwarmRuntime({ client }).pause(LAB.lab, 'server2')).rejects.toMatchObject({
      code: 'LBLAB_UNSUPPORTED',
      message: expect.stringContaining('pause is not supported on swarm for servers on remote nodes: server2 runs on beta'),
    });
    expect(calls).toEqual([]);
  });
});
