import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import { ALGORITHM_NAMES } from '../../balancer/algorithms/algorithm.js';

/** What the keys k, r and a do; the real ones go through the lab, tests pass fakes. */
export interface DashboardActions {
  /** Resolves with a line for the event log, e.g. `killed server2 (SIGKILL)`. */
  kill(server: string): Promise<string>;
  revive(server: string): Promise<string>;
  setAlgorithm(algorithm: AlgorithmName): Promise<void>;
}

/** The algorithm after `current` in ALGORITHM_NAMES, wrapping; the first one when `current` is not known. */
export function nextAlgorithm(current: string): AlgorithmName {
  const index = (ALGORITHM_NAMES as readonly string[]).indexOf(current);
  return ALGORITHM_NAMES[(index + 1) % ALGORITHM_NAMES.length] ?? ALGORITHM_NAMES[0];
}
