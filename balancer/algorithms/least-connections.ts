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

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    const count = candidates.length;
    if (count === 0) return undefined;
    const lastIndex = candidates.findIndex((c) => c.name === this.lastName);
    let best: Candidate | undefined;
    for (let step = 1; step <= count; step++) {
      const candidate = candidates[(lastIndex + step) % count] as Candidate;
      if (best === undefined || candidate.inFlight < best.inFlight) best = candidate;
    }
    const chosen = best as Candidate;
    this.lastName = chosen.name;
    return chosen;
  }
}
