/*
 * What the swarm runtime adds to the docker runtime's names and labels
 * (labels.ts): the lab's overlay network records how the lab places its
 * servers and where their images come from, so `add` in another shell, or
 * after a crash, makes its services the same way.
 */

export const SWARM_LABEL = {
  /** `swarm` on the lab's overlay network: status and down find swarm labs from the engine alone. */
  runtime: 'lblab.runtime',
  /** spread | local */
  placement: 'lblab.placement',
  /** HOST:PORT of the registry the images were pushed to; absent: the local images. */
  registry: 'lblab.registry',
} as const;

/** spread: the scheduler spreads servers across nodes; local: every server on this engine's node (next to the balancer). */
export type SwarmPlacement = 'spread' | 'local';
export const SWARM_PLACEMENTS: readonly SwarmPlacement[] = ['spread', 'local'];

/** Task containers carry the swarm's own labels; lblab finds a task's container by its task id. */
export const TASK_ID_LABEL = 'com.docker.swarm.task.id';

/** Service names are swarm-wide, so they carry the lab; the server's own name is its DNS alias on the lab's network. */
export function serviceName(lab: string, member: string): string {
  return `${lab}-${member}`;
}

/** The command that makes this engine a one-node swarm, as the error message and the README give it. */
export const SWARM_INIT_COMMAND = 'docker swarm init --advertise-addr 127.0.0.1';
