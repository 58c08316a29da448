import type { Algorithm, Candidate, PickRequest } from './algorithm.js';
import { badOptionError } from './algorithm-error.js';
import { CandidateSet } from './candidate-set.js';
import { murmur3, murmur3Bytes } from './hash.js';
import { LIMITS } from '../config/limits.js';

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
  /** The candidates `owners` was built from (a copy), and the candidate at each ring point. */
  private ownerSource: readonly Candidate[] = [];
  private owners: readonly Candidate[] = [];

  constructor(options: ConsistentHashOptions = {}) {
    const virtualNodes = options.virtualNodes ?? DEFAULT_VIRTUAL_NODES;
    const maxNodes = LIMITS.virtualNodes.max;
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1 || virtualNodes > maxNodes) {
      throw badOptionError(this.name, 'virtualNodes', `an integer from 1 to ${maxNodes}`, virtualNodes);
    }
    const boundedLoad = options.boundedLoad;
    const maxLoad = LIMITS.boundedLoad.max;
    if (boundedLoad !== undefined && !(Number.isFinite(boundedLoad) && boundedLoad >= 1 && boundedLoad <= maxLoad)) {
      throw badOptionError(this.name, 'boundedLoad', `a number from 1 to ${maxLoad}`, boundedLoad);
    }
    this.virtualNodes = virtualNodes;
    this.boundedLoad = boundedLoad;
  }

  pick(candidates: readonly Candidate[], request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const owners = this.ownersFor(candidates);
    const count = owners.length;
    const start = firstPointAtOrAfter(this.ring.points, murmur3(request.key));

    if (this.boundedLoad === undefined) return owners[start] as Candidate;

    const servers = this.ring.names.length;
    const totalInFlight = candidates.reduce((sum, c) => sum + c.inFlight, 0);
    const bound = Math.ceil((this.boundedLoad * (totalInFlight + 1)) / servers);
    const seen = new Set<string>();
    for (let step = 0; step < count && seen.size < servers; step++) {
      const candidate = owners[(start + step) % count] as Candidate;
      if (seen.has(candidate.name)) continue;
      seen.add(candidate.name);
      if (candidate.inFlight + 1 <= bound) return candidate;
    }
    return owners[start] as Candidate;
  }

  /**
   * The candidate at each ring point, rebuilt only when the candidate list
   * is another one (the ring itself only when the set of names changed), so
   * a pick allocates nothing.
   */
  private ownersFor(candidates: readonly Candidate[]): readonly Candidate[] {
    if (sameCandidates(candidates, this.ownerSource)) return this.owners;
    const names = this.candidateSet.changedNames(candidates);
    if (names !== undefined) this.ring = buildRing(names, this.virtualNodes);
    const byName = new Map(candidates.map((c) => [c.name, c]));
    const ringNames = this.ring.names;
    this.owners = Array.from(this.ring.owners, (owner) => byName.get(ringNames[owner] as string) as Candidate);
    this.ownerSource = [...candidates];
    return this.owners;
  }
}

function sameCandidates(a: readonly Candidate[], b: readonly Candidate[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Node indices fit in the low bits of a sort key: hash * 2^NODE_BITS + node stays an exact double (< 2^53). */
const NODE_BITS = 21;
const NODE_SCALE = 2 ** NODE_BITS;
const encoder = new TextEncoder();

/**
 * Sorts the points by hash in one native Float64Array sort (hash in the high
 * bits, node index in the low ones, so on an equal hash the lower name wins and
 * the ring is deterministic), hashing `name#i` from a reused byte buffer. At
 * LIMITS.ringPoints this takes a few ms; see balancer/README.md.
 */
function buildRing(names: readonly string[], virtualNodes: number): Ring {
  const count = names.length * virtualNodes;
  if (count >= NODE_SCALE) throw new RangeError(`a ring of ${count} points is beyond ${NODE_SCALE}`);
  const keys = new Float64Array(count);
  names.forEach((name, owner) => {
    const hashes = nodeHashes(name, virtualNodes);
    for (let i = 0; i < virtualNodes; i++) keys[owner * virtualNodes + i] = (hashes[i] as number) * NODE_SCALE + owner * virtualNodes + i;
  });
  keys.sort();
  const points = new Uint32Array(count);
  const owners = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const key = keys[i] as number;
    const node = key % NODE_SCALE;
    points[i] = (key - node) / NODE_SCALE;
    owners[i] = Math.floor(node / virtualNodes);
  }
  return { names, points, owners };
}

/** murmur3(`${name}#${i}`) for i in [0, count), the same values as hashing each string, without building the strings. */
function nodeHashes(name: string, count: number): Uint32Array {
  const hashes = new Uint32Array(count);
  const buffer = new Uint8Array(name.length * 3 + 1 + 16);
  const prefix = encoder.encodeInto(`${name}#`, buffer).written;
  for (let i = 0; i < count; i++) {
    const digits = i < 10 ? 1 : Math.floor(Math.log10(i)) + 1;
    for (let d = digits - 1, rest = i; d >= 0; d--, rest = Math.floor(rest / 10)) buffer[prefix + d] = 48 + (rest % 10);
    hashes[i] = murmur3Bytes(buffer, prefix + digits);
  }
  return hashes;
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
