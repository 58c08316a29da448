import type { Option } from 'commander';
import { SWARM_PLACEMENTS, type SwarmChoices } from '../runtime/select-runtime.js';
import { badInput, choiceOption, parsedOption } from './option-parsers.js';

export interface SwarmFlags {
  readonly placement?: 'spread' | 'local';
  readonly registry?: string;
}

/** HOST:PORT (a name or an address, and a port from 1 to 65535), as `docker push HOST:PORT/...` takes it. */
export function parseRegistryFlag(flag: string, text: string): string {
  const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 1 && port <= 65_535)) throw badInput(`${flag} must be HOST:PORT of a registry, e.g. 127.0.0.1:5000, got ${JSON.stringify(text)}`);
  return text;
}

/** `--placement`, which only the swarm runtime reads. */
export function placementOption(): Option {
  return choiceOption('--placement <placement>', 'swarm: spread the servers across nodes, or run them all on this node (local)', SWARM_PLACEMENTS, 'spread');
}

/** `--registry`, which only the swarm runtime reads. */
export function registryOption(): Option {
  return parsedOption('--registry <host:port>', 'swarm: push the images to this registry so every node can pull them (needed on a swarm of several nodes)', parseRegistryFlag);
}

export function swarmChoicesOf(flags: SwarmFlags): SwarmChoices {
  return { ...(flags.placement === undefined ? {} : { placement: flags.placement }), ...(flags.registry === undefined ? {} : { registry: flags.registry }) };
}
