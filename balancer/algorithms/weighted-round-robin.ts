import type { Algorithm, Candidate, PickRequest } from './algorithm.js';

/**
 * Smooth weighted round robin, as in nginx: on every pick each candidate's
 * current weight grows by its weight, the largest current weight wins (the
 * first in list order on a tie), and the winner's current weight drops by the
 * total. Weights 5, 1, 1 give a a b a c a a, spread out rather than a a a a a b c.
 *
 * Current weights are kept by name. A server that leaves the list loses its
 * state, so when it comes back it starts from zero like a new one.
 */
export class WeightedRoundRobin implements Algorithm {
  readonly name = 'weighted-round-robin' as const;
  private readonly currentWeights = new Map<string, number>();

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    this.forgetAbsent(candidates);

    let total = 0;
    let best: Candidate | undefined;
    let bestWeight = -Infinity;
    for (const candidate of candidates) {
      const weight = Math.max(1, candidate.weight);
      const current = (this.currentWeights.get(candidate.name) ?? 0) + weight;
      this.currentWeights.set(candidate.name, current);
      total += weight;
      if (current > bestWeight) {
        best = candidate;
        bestWeight = current;
      }
    }
    const chosen = best as Candidate;
    this.currentWeights.set(chosen.name, bestWeight - total);
    return chosen;
  }

  private forgetAbsent(candidates: readonly Candidate[]): void {
    const present = new Set(candidates.map((c) => c.name));
    for (const name of this.currentWeights.keys()) {
      if (!present.has(name)) this.currentWeights.delete(name);
    }
  }
}
