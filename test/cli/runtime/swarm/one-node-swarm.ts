import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DockerodeClient } from '../../../../cli/runtime/docker/dockerode-client.js';
import { SWARM_INIT_COMMAND } from '../../../../cli/runtime/swarm/swarm-labels.js';

const run = promisify(execFile);
const GATEWAY_BRIDGE = 'docker_gwbridge';

/** A swarm the tests run on: this engine's own, or a one-node swarm made for them (and left afterwards). */
export interface OneNodeSwarm {
  /** Whether the tests made it (so they leave it); false: the engine was a manager already, and stays one. */
  readonly created: boolean;
  leave(): Promise<void>;
}

/**
 * Makes this engine a one-node swarm manager unless it is one already. Runs
 * with vitest's fileParallelism off, so no other docker test file runs while
 * the swarm (its ingress network and docker_gwbridge) comes and goes.
 */
export async function oneNodeSwarm(): Promise<OneNodeSwarm> {
  const membership = await new DockerodeClient().swarmMembership();
  if (membership.LocalNodeState === 'active') {
    if (!membership.ControlAvailable) throw new Error('the Docker engine is a swarm worker; the swarm tests need a manager (or no swarm, to make one)');
    return { created: false, leave: async () => undefined };
  }
  // swarm init also makes the docker_gwbridge network, which swarm leave keeps: it goes too when the init made it.
  const hadGatewayBridge = (await new DockerodeClient().listNetworks({ label: [] })).some((network) => network.Name === GATEWAY_BRIDGE);
  const [program, ...args] = SWARM_INIT_COMMAND.split(' ');
  await run(program ?? 'docker', args);
  return {
    created: true,
    leave: async () => {
      await run('docker', ['swarm', 'leave', '--force']);
      if (!hadGatewayBridge) await run('docker', ['network', 'rm', GATEWAY_BRIDGE]);
    },
  };
}
