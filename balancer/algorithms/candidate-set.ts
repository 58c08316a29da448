import type { Candidate } from './algorithm.js';

/**
 * Remembers the set of candidate names a structure (a hash ring, a lookup
 * table) was built for, so it is rebuilt only when servers come or go, not
 * when only their load changes. Order does not matter: [a, b] equals [b, a].
 */
export class CandidateSet {
  private lastNames: readonly string[] | undefined;
  private sortedKey: string | undefined;

  /** The names sorted, when the set differs from the previous call; undefined when it is the same. */
  changedNames(candidates: readonly Candidate[]): readonly string[] | undefined {
    const names = candidates.map((c) => c.name);
    if (this.lastNames !== undefined && sameOrder(names, this.lastNames)) return undefined;
    this.lastNames = names;
    const sorted = [...new Set(names)].sort();
    const key = JSON.stringify(sorted);
    if (key === this.sortedKey) return undefined;
    this.sortedKey = key;
    return sorted;
  }
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
