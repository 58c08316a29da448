import type { Algorithm, Candidate, PickRequest } from './algorithm.js';
import { badOptionError } from './algorithm-error.js';
import { LIMITS } from '../config/limits.js';

export const DEFAULT_CAPACITY = 1;

/**
 * The first candidate in list order with room: inFlight < capacity (default 1,
 * one job at a time). Returns undefined when every candidate is full, and the
 * proxy queues the request (FIFO, with a timeout) until a slot frees up.
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
    return candidates.find((c) => c.inFlight < this.capacity);
  }
}
