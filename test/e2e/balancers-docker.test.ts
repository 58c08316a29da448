import { expect } from 'vitest';
import { createDockerRuntime } from '../../cli/runtime/docker/docker-runtime.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import { engineAvailable } from '../cli/runtime/docker/engine-available.js';
import { describeBalancerLab } from './balancers-suite.js';

if (engineAvailable) {
  const client = createDockerRuntime().client;
  for (const kind of ['haproxy', 'nginx'] as const) {
    describeBalancerLab({
      kind,
      runtime: 'docker',
      assertNothingLeft: async (lab) => {
        expect(await client.listContainers(labFilter(lab))).toEqual([]);
        expect(await client.listNetworks(labFilter(lab))).toEqual([]);
      },
    });
  }
}
