import type { Algorithm, Candidate, PickRequest } from './algorithm.js';
import { badOptionError } from './algorithm-error.js';
import { LIMITS } from '../config/limits.js';

export const DEFAULT_CAPACITY = 1;

/**
 * Seed 000's availability queue: the servers with room (inFlight < capacity,
 * default 1: one job at a time) form a queue, and the one idle longest (the
 * oldest `releasedAtMs`; never used first, then list order) takes the next
 * request, so a server that finishes goes to the back of the queue and
 * sequential requests rotate. Returns undefined when every candidate is
 * full, and the data path queues the request (FIFO, with a timeout) until a
 * slot frees up. Pure: the release times come with the candidates.
 */
export class FirstAvailable implements Algorithm {
  readonly name = 'first-available' as const;
  readonly capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    const { max } = LIMITS.capacity;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > max) {
      throw badOptionError(this.name, 'capacity', `an integer from 1 to ${max}`, capacity);
    }
    this.capacity = capacity;
  }

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    let best: Candidate | undefined;
    let bestAt = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      if (candidate.inFlight >= this.capacity) continue;
      const at = candidate.releasedAtMs ?? Number.NEGATIVE_INFINITY;
      if (best === undefined || at < bestAt) {
        best = candidate;
        bestAt = at;
      }
    }
    return best;
  }
}
