// `workers`: how many processes run the data path. The bound depends on the
// machine (cores x LIMITS.workersPerCore.max), so it is checked here rather
// than with a fixed limit.
import { availableParallelism } from 'node:os';

import { fail } from './field-validators.js';
import { LIMITS } from './limits.js';

/** `workers` as given: an integer from 1 to cores x 4, or `auto`. */
export function parseWorkers(field: string, value: unknown, cores: number = availableParallelism()): number | 'auto' {
  if (value === 'auto') return value;
  const max = Math.max(1, cores) * LIMITS.workersPerCore.max;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    fail(field, `an integer from 1 to ${max} or "auto"`, value);
  }
  return value;
}

/** The number of worker processes `workers` stands for on this machine (`auto`: one per core). */
export function workerCount(workers: number | 'auto' | undefined, cores: number = availableParallelism()): number {
  if (workers === 'auto') return Math.max(1, cores);
  return workers ?? 1;
}
