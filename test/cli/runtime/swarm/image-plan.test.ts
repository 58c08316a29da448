import { describe, expect, it } from 'vitest';
import type { SwarmNode } from '../../../../cli/runtime/docker/docker-client.js';
import { planImages } from '../../../../cli/runtime/swarm/image-plan.js';

const node = (id: string, hostname: string, extra: Partial<SwarmNode> = {}): SwarmNode => ({
  ID: id,
  Description: { Hostname: hostname },
  Spec: { Role: 'worker', Availability: 'active' },
  Status: { State: 'ready' },
  ...extra,
});

const images = ['lblab/server'];

describe('planImages', () => {
  it('uses the local images on a one-node swarm', () => {
    expect(planImages({ nodes: [node('m1', 'manager')], localNodeId: 'm1', placement: 'spread', images })).toEqual({ source: 'local' });
  });

  it('uses the registry when one is given, whatever the nodes', () => {
    const nodes = [node('m1', 'manager'), node('w1', 'worker1')];
    expect(planImages({ nodes, localNodeId: 'm1', placement: 'spread', images, registry: '10.0.0.5:5000' })).toEqual({ source: 'registry', registry: '10.0.0.5:5000' });
  });

  it('refuses a swarm of several nodes without a registry, naming the nodes that lack the images', () => {
    const nodes = [node('m1', 'manager'), node('w2', 'worker2'), node('w1', 'worker1')];
    expect(() => planImages({ nodes, localNodeId: 'm1', placement: 'spread', images })).toThrow(
      expect.objectContaining({
        code: 'LBLAB_SWARM_IMAGES',
        message:
          'the swarm has 3 nodes, and worker1, worker2 lack the image lblab/server (made on manager only): ' +
          'give --registry HOST:PORT to push them to a registry every node can pull from, or --placement local to run every server on this node',
      }),
    );
  });

  it('counts only nodes that can run tasks (ready, not drained)', () => {
    const nodes = [
      node('m1', 'manager'),
      node('w1', 'drained', { Spec: { Role: 'worker', Availability: 'drain' } }),
      node('w2', 'gone', { Status: { State: 'down' } }),
    ];
    expect(planImages({ nodes, localNodeId: 'm1', placement: 'spread', images })).toEqual({ source: 'local' });
  });

  it('with --placement local every server runs here, so the local images do on any swarm', () => {
    const nodes = [node('m1', 'manager'), node('w1', 'worker1')];
    expect(planImages({ nodes, localNodeId: 'm1', placement: 'local', images })).toEqual({ source: 'local' });
  });
});
