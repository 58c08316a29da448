import { performance } from 'node:perf_hooks';

import type { AlgorithmContext } from './algorithm.js';

/** The production context: Math.random and the monotonic performance clock. */
export function systemContext(): AlgorithmContext {
  return {
    random: Math.random,
    now: () => performance.now(),
  };
}
