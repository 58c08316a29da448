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
  /**
   * The list of the last pick and its index there. Its successors are read
   * from it only when the last pick is gone; the lists are read-only (the
   * pool builds a new one on every change), so it stands for the list as it
   * was, and a pick copies nothing.
   */
  private lastList: readonly Candidate[] = [];
  private lastIndex = -1;

  pick(candidates: readonly Candidate[], _request: PickRequest): Candidate | undefined {
    if (candidates.length === 0) return undefined;
    const index = this.nextIndex(candidates);
    const next = candidates[index] as Candidate;
    this.lastName = next.name;
    this.lastList = candidates;
    this.lastIndex = index;
    return next;
  }

  private nextIndex(candidates: readonly Candidate[]): number {
    if (this.lastName === undefined) return 0;
    const count = candidates.length;
    if (candidates === this.lastList && candidates[this.lastIndex]?.name === this.lastName) return (this.lastIndex + 1) % count;
    const lastIndex = indexOfName(candidates, this.lastName);
    if (lastIndex >= 0) return (lastIndex + 1) % count;
    const previous = this.lastList;
    for (let step = 1; step < previous.length; step++) {
      const index = indexOfName(candidates, (previous[(this.lastIndex + step) % previous.length] as Candidate).name);
      if (index >= 0) return index;
    }
    return 0;
  }
}

function indexOfName(candidates: readonly Candidate[], name: string): number {
  for (let i = 0; i < candidates.length; i++) if ((candidates[i] as Candidate).name === name) return i;
  return -1;
}
