import type { Algorithm, Candidate, PickRequest } from './algorithm.js';

/**
 * Cycles through the candidates in list order. It remembers the name it
 * picked last, not an index, so when the list changes the rotation goes on
 * from where it was: nobody is picked twice in a row or skipped while others
 * wait.
 *
 * - The last pick is still a candidate: the next one is the candidate after it
 *   in the current list (so a server that came back is included at its place).
 * - The last pick is gone (it just went down): the next one is the first of
 *   its successors at the time of that pick that is still a candidate.
 */
export class RoundRobin implements Algorithm {
  readonly name = 'round-robin' as const;
  private lastName: string | undefined;
  /** The names that followed the last pick, in rotation order, when it was made. */
  private successors: readonly string[] = [];

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const index = this.nextIndex(candidates);
    const next = candidates[index] as Candidate;
    this.lastName = next.name;
    this.successors = [...candidates.slice(index + 1), ...candidates.slice(0, index)].map((c) => c.name);
    return next;
  }

  private nextIndex(candidates: readonly Candidate[]): number {
    if (this.lastName === undefined) return 0;
    const lastIndex = candidates.findIndex((c) => c.name === this.lastName);
    if (lastIndex >= 0) return (lastIndex + 1) % candidates.length;
    for (const name of this.successors) {
      const index = candidates.findIndex((c) => c.name === name);
      if (index >= 0) return index;
    }
    return 0;
  }
}
