import type { Algorithm, Candidate, PickRequest } from './algorithm.js';
import { badOptionError } from './algorithm-error.js';
import { CandidateSet } from './candidate-set.js';
import { murmur3 } from './hash.js';

export const DEFAULT_VIRTUAL_NODES = 160;

export interface ConsistentHashOptions {
  /** Points on the ring per server (default 160). */
  readonly virtualNodes?: number;
  /** Bounded-load factor c >= 1 (e.g. 1.25); off when undefined. */
  readonly boundedLoad?: number;
}

/** Ring points sorted by hash; owners[i] is the index in `names` of the server at points[i]. */
interface Ring {
  readonly names: readonly string[];
  readonly points: Uint32Array;
  readonly owners: Uint32Array;
}

/**
 * Consistent hashing on a ring of virtual nodes. Each server owns
 * `virtualNodes` points at murmur3(`name#i`); a request goes to the owner of
 * the first point at or after murmur3(request.key), wrapping around. Adding a
 * server moves only the keys it takes over; removing one moves only its keys.
 *
 * The ring depends only on the set of names, so it is rebuilt only when a
 * server comes or goes.
 *
 * With `boundedLoad` c (Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing
 * with Bounded Loads"), a server takes the request only if its load after
 * taking it stays within ceil(c × (totalInFlight + 1) / n); otherwise the walk
 * goes on clockwise to the next distinct server. For c >= 1 one always fits.
 */
export class ConsistentHash implements Algorithm {
  readonly name = 'consistent-hash' as const;
  readonly virtualNodes: number;
  readonly boundedLoad: number | undefined;
  private readonly candidateSet = new CandidateSet();
  private ring: Ring = { names: [], points: new Uint32Array(0), owners: new Uint32Array(0) };

  constructor(options: ConsistentHashOptions = {}) {
    const virtualNodes = options.virtualNodes ?? DEFAULT_VIRTUAL_NODES;
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1) {
      throw badOptionError(this.name, 'virtualNodes', 'an integer >= 1', virtualNodes);
    }
    const boundedLoad = options.boundedLoad;
    if (boundedLoad !== undefined && !(Number.isFinite(boundedLoad) && boundedLoad >= 1)) {
      throw badOptionError(this.name, 'boundedLoad', 'a number >= 1', boundedLoad);
    }
    this.virtualNodes = virtualNodes;
    this.boundedLoad = boundedLoad;
  }

  pick(candidates: readonly Candidate[], request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const names = this.candidateSet.changedNames(candidates);
    if (names !== undefined) this.ring = buildRing(names, this.virtualNodes);

    const { points, owners } = this.ring;
    const byName = new Map(candidates.map((c) => [c.name, c]));
    const start = firstPointAtOrAfter(points, murmur3(request.key));
    const ownerAt = (step: number): Candidate =>
      byName.get(this.ring.names[owners[(start + step) % points.length] as number] as string) as Candidate;

    if (this.boundedLoad === undefined) return ownerAt(0);

    const totalInFlight = candidates.reduce((sum, c) => sum + c.inFlight, 0);
    const bound = Math.ceil((this.boundedLoad * (totalInFlight + 1)) / byName.size);
    const seen = new Set<string>();
    for (let step = 0; step < points.length && seen.size < byName.size; step++) {
      const candidate = ownerAt(step);
      if (seen.has(candidate.name)) continue;
      seen.add(candidate.name);
      if (candidate.inFlight + 1 <= bound) return candidate;
    }
    return ownerAt(0);
  }

}

function buildRing(names: readonly string[], virtualNodes: number): Ring {
  const count = names.length * virtualNodes;
  const hashes = new Uint32Array(count);
  const ownersByNode = new Uint32Array(count);
  names.forEach((name, owner) => {
    for (let i = 0; i < virtualNodes; i++) {
      hashes[owner * virtualNodes + i] = murmur3(`${name}#${i}`);
      ownersByNode[owner * virtualNodes + i] = owner;
    }
  });
  // Sort node indices by hash; on the (rare) equal hash the lower name wins, so the ring is deterministic.
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => (hashes[a] as number) - (hashes[b] as number) || a - b);
  const points = new Uint32Array(count);
  const owners = new Uint32Array(count);
  order.forEach((node, i) => {
    points[i] = hashes[node] as number;
    owners[i] = ownersByNode[node] as number;
  });
  return { names, points, owners };
}

/** Index of the first point >= hash, or 0 (wrap around) when hash is past the last point. */
function firstPointAtOrAfter(points: Uint32Array, hash: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((points[mid] as number) < hash) low = mid + 1;
    else high = mid;
  }
  return low === points.length ? 0 : low;
}
