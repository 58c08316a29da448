import { LabError } from '../../errors.js';
import type { SwarmNode } from '../docker/docker-client.js';

export interface ImagePlanOptions {
  /** Every node of the swarm. */
  readonly nodes: readonly SwarmNode[];
  /** The node this engine is (its images are the local ones). */
  readonly localNodeId: string;
  /** HOST:PORT of a registry every node can pull from. */
  readonly registry?: string;
  /** local: every server runs on this node, so its images do. */
  readonly placement: 'spread' | 'local';
  /** The images the servers run, as the message names them (lblab/server). */
  readonly images: readonly string[];
}

/** Where the nodes get the server image: this engine's images, or a registry. */
export type ImagePlan = { readonly source: 'local' } | { readonly source: 'registry'; readonly registry: string };

/** Nodes that can run tasks: ready and not drained. */
function schedulable(node: SwarmNode): boolean {
  return (node.Status?.State ?? 'ready') === 'ready' && (node.Spec?.Availability ?? 'active') === 'active';
}

function nodeName(node: SwarmNode): string {
  return node.Description?.Hostname ?? node.ID.slice(0, 12);
}

/**
 * With a registry, the images are pushed there and run from it. Without one,
 * a swarm whose servers may land on another node than this one fails here,
 * before anything starts, naming the nodes that lack the images.
 */
export function planImages(options: ImagePlanOptions): ImagePlan {
  if (options.registry !== undefined) {
    return { source: 'registry', registry: options.registry };
  }
  if (options.placement === 'local') return { source: 'local' };
  const others = options.nodes.filter((node) => node.ID !== options.localNodeId && schedulable(node));
  if (others.length === 0) return { source: 'local' };
  const local = options.nodes.find((node) => node.ID === options.localNodeId);
  throw new LabError(
    'LBLAB_SWARM_IMAGES',
    `the swarm has ${options.nodes.length} nodes, and ${others.map(nodeName).sort().join(', ')} lack${others.length === 1 ? 's' : ''} the image${options.images.length === 1 ? '' : 's'} ` +
      `${options.images.join(', ')} (made on ${local === undefined ? 'this engine' : nodeName(local)} only): ` +
      'give --registry HOST:PORT to push them to a registry every node can pull from, or --placement local to run every server on this node',
  );
}
