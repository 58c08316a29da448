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
  /** The content-hashed images the servers run, e.g. lblab/server:1a2b3c. */
  readonly images: readonly string[];
}

/** Where each node gets the server image: the local images, or a registry (the ref to push and run). */
export type ImagePlan =
  | { readonly source: 'local' }
  | { readonly source: 'registry'; readonly refs: ReadonlyMap<string, string> };

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
    const registry = options.registry.replace(/\/+$/, '');
    return { source: 'registry', refs: new Map(options.images.map((image) => [image, `${registry}/${image}`])) };
  }
  if (options.placement === 'local') return { source: 'local' };
  const others = options.nodes.filter((node) => node.ID !== options.localNodeId && schedulable(node));
  if (others.length === 0) return { source: 'local' };
  const local = options.nodes.find((node) => node.ID === options.localNodeId);
  throw new LabError(
    'LBLAB_SWARM_IMAGES',
    `the swarm has ${options.nodes.length} nodes, and ${others.map(nodeName).sort().join(', ')} lack${others.length === 1 ? 's' : ''} the images ` +
      `${options.images.join(', ')} (made on ${local === undefined ? 'this engine' : nodeName(local)} only): ` +
      'give --registry HOST:PORT to push them to a registry every node can pull from, or --placement local to run every server on this node',
  );
}
