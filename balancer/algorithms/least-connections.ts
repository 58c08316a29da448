import type { Algorithm, Candidate, PickRequest } from './algorithm.js';

/**
 * Picks the candidate with the fewest requests in flight. Ties are broken by
 * rotation, not by chance: among the tied candidates it takes the first one
 * after the last pick in list order. So with no load at all (one request at
 * a time) it behaves exactly like round robin, and the result never depends
 * on the random source.
 */
export class LeastConnections implements Algorithm {
  readonly name = 'least-connections' as const;
  private lastName: string | undefined;
  /** Where the last pick was in its list: checked first, so a stable list needs no search. */
  private lastIndex = -1;

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    const count = candidates.length;
    if (count === 0) return undefined;
    const lastIndex = this.indexOfLast(candidates);
    let bestIndex = (lastIndex + 1) % count;
    let best = candidates[bestIndex] as Candidate;
    for (let step = 2; step <= count; step++) {
      const index = (lastIndex + step) % count;
      const candidate = candidates[index] as Candidate;
      if (candidate.inFlight < best.inFlight) {
        best = candidate;
        bestIndex = index;
      }
    }
    this.lastName = best.name;
    this.lastIndex = bestIndex;
    return best;
  }

  private indexOfLast(candidates: readonly Candidate[]): number {
    if (this.lastName === undefined) return -1;
    if (candidates[this.lastIndex]?.name === this.lastName) return this.lastIndex;
    for (let i = 0; i < candidates.length; i++) if ((candidates[i] as Candidate).name === this.lastName) return i;
    return -1;
  }
}
