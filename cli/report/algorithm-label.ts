import type { RunLab } from './run-summary.js';

/** `round-robin`, or for a run of several passes `round-robin, random, …` (every one). */
export function algorithmLabel(lab: Pick<RunLab, 'algorithm'>): string {
  return typeof lab.algorithm === 'string' ? lab.algorithm : lab.algorithm.join(', ');
}
