import type { Algorithm, AlgorithmContext, Candidate, PickRequest } from './algorithm.js';
import { randomIndex } from './random-index.js';

/** Picks a candidate uniformly at random from the injected source. */
export class Random implements Algorithm {
  readonly name = 'random' as const;

  constructor(private readonly context: AlgorithmContext) {}

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    return candidates[randomIndex(this.context.random, candidates.length)];
  }
}
