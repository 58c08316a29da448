import type { Algorithm, Candidate, PickRequest } from './algorithm.js';
import { badOptionError } from './algorithm-error.js';
import { CandidateSet } from './candidate-set.js';
import { murmur3 } from './hash.js';
import { LIMITS } from '../config/limits.js';

export const DEFAULT_TABLE_SIZE = 65537;

const OFFSET_SEED = 0x9e3779b9;
const SKIP_SEED = 0x85ebca6b;

/**
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, section 3.4). Each server has a
 * permutation of the table slots, (offset + j × skip) mod M, from two hashes
 * of its name; servers take turns claiming their next free slot until the
 * table is full. Lookup is table[murmur3(key) mod M]. Every server owns
 * M/n slots (±1), and removing a server moves few keys of the others.
 *
 * The table depends only on the set of names (built in sorted name order),
 * so it is rebuilt only when a server comes or goes.
 */
export class Maglev implements Algorithm {
  readonly name = 'maglev' as const;
  readonly tableSize: number;
  private readonly candidateSet = new CandidateSet();
  private names: readonly string[] = [];
  private table: Int32Array = new Int32Array(0);

  constructor(tableSize = DEFAULT_TABLE_SIZE) {
    const { min, max } = LIMITS.tableSize;
    if (!Number.isInteger(tableSize) || tableSize < min || tableSize > max || !isPrime(tableSize)) {
      throw badOptionError(this.name, 'tableSize', `a prime number from ${min} to ${max}`, tableSize);
    }
    this.tableSize = tableSize;
  }

  pick(candidates: readonly Candidate[], request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const names = this.candidateSet.changedNames(candidates);
    if (names !== undefined) {
      if (names.length > this.tableSize) {
        throw badOptionError(this.name, 'tableSize', `at least the number of servers (${names.length})`, this.tableSize);
      }
      this.names = names;
      this.table = buildTable(names, this.tableSize);
    }
    const name = this.names[this.table[murmur3(request.key) % this.tableSize] as number];
    return candidates.find((c) => c.name === name);
  }
}

/** The lookup table: slot → index into `names`. Steps wrap by subtraction (slot + skip < 2 × tableSize), which keeps a 65,537-slot build at a few ms. */
export function buildTable(names: readonly string[], tableSize: number): Int32Array {
  const table = new Int32Array(tableSize).fill(-1);
  if (names.length === 0) return table;
  const positions = Int32Array.from(names, (name) => murmur3(name, OFFSET_SEED) % tableSize);
  const skips = Int32Array.from(names, (name) => (murmur3(name, SKIP_SEED) % (tableSize - 1)) + 1);
  let filled = 0;
  while (true) {
    for (let server = 0; server < names.length; server++) {
      const skip = skips[server] as number;
      let slot = positions[server] as number;
      while ((table[slot] as number) >= 0) {
        slot += skip;
        if (slot >= tableSize) slot -= tableSize;
      }
      table[slot] = server;
      slot += skip;
      positions[server] = slot >= tableSize ? slot - tableSize : slot;
      filled += 1;
      if (filled === tableSize) return table;
    }
  }
}

export function isPrime(value: number): boolean {
  if (!Number.isInteger(value) || value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor++) {
    if (value % divisor === 0) return false;
  }
  return true;
}
