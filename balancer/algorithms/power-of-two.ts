import type { Algorithm, AlgorithmContext, Candidate, PickRequest } from './algorithm.js';
import { randomIndex } from './random-index.js';

/**
 * Power of two choices: draws two distinct candidates at random and takes the
 * one with fewer requests in flight (the first drawn on a tie). It never picks
 * the most loaded candidate when it is strictly above two others, and needs
 * no shared state, which is why Envoy and others use it.
 */
export class PowerOfTwo implements Algorithm {
  readonly name = 'power-of-two' as const;

  constructor(private readonly context: AlgorithmContext) {}

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    const count = candidates.length;
    if (count <= 1) return candidates[0];
    const first = randomIndex(this.context.random, count);
    let second = randomIndex(this.context.random, count - 1);
    if (second >= first) second += 1;
    const a = candidates[first] as Candidate;
    const b = candidates[second] as Candidate;
    return b.inFlight < a.inFlight ? b : a;
  }
}
