import {
  ALGORITHM_NAMES,
  type Algorithm,
  type AlgorithmContext,
  type AlgorithmName,
  type AlgorithmOptions,
} from './algorithm.js';
import { unknownAlgorithmError } from './algorithm-error.js';
import { ConsistentHash } from './consistent-hash.js';
import { FirstAvailable } from './first-available.js';
import { LeastConnections } from './least-connections.js';
import { LeastResponseTime } from './least-response-time.js';
import { Maglev } from './maglev.js';
import { PowerOfTwo } from './power-of-two.js';
import { Random } from './random.js';
import { RoundRobin } from './round-robin.js';
import { WeightedRoundRobin } from './weighted-round-robin.js';

export * from './algorithm.js';
export { AlgorithmError, badOptionError, isAlgorithmError, unknownAlgorithmError } from './algorithm-error.js';
export type { AlgorithmErrorCode } from './algorithm-error.js';
export { seededRandom } from './seeded-random.js';
export { systemContext } from './system-context.js';
export { murmur3 } from './hash.js';
export { ConsistentHash, DEFAULT_VIRTUAL_NODES } from './consistent-hash.js';
export { FirstAvailable, DEFAULT_CAPACITY } from './first-available.js';
export { LeastConnections } from './least-connections.js';
export { LeastResponseTime } from './least-response-time.js';
export { Maglev, DEFAULT_TABLE_SIZE } from './maglev.js';
export { PowerOfTwo } from './power-of-two.js';
export { Random } from './random.js';
export { RoundRobin } from './round-robin.js';
export { WeightedRoundRobin } from './weighted-round-robin.js';

export function isAlgorithmName(value: string): value is AlgorithmName {
  return (ALGORITHM_NAMES as readonly string[]).includes(value);
}

/** `value` as an AlgorithmName, or throws AlgorithmError LBLAB_UNKNOWN_ALGORITHM (for CLI flags and admin input). */
export function parseAlgorithmName(value: string): AlgorithmName {
  if (!isAlgorithmName(value)) throw unknownAlgorithmError(value);
  return value;
}

/**
 * Builds a fresh algorithm, with its own state, by name. Throws AlgorithmError
 * with code LBLAB_UNKNOWN_ALGORITHM for a name outside ALGORITHM_NAMES, and
 * LBLAB_BAD_ALGORITHM_OPTION for an option out of range. Options that do not
 * apply to the algorithm are ignored.
 */
export function createAlgorithm(name: AlgorithmName, context: AlgorithmContext, options: AlgorithmOptions = {}): Algorithm {
  switch (name) {
    case 'round-robin':
      return new RoundRobin();
    case 'weighted-round-robin':
      return new WeightedRoundRobin();
    case 'least-connections':
      return new LeastConnections();
    case 'power-of-two':
      return new PowerOfTwo(context);
    case 'random':
      return new Random(context);
    case 'least-response-time':
      return new LeastResponseTime();
    case 'consistent-hash':
      return new ConsistentHash({ virtualNodes: options.virtualNodes, boundedLoad: options.boundedLoad });
    case 'first-available':
      return new FirstAvailable(options.capacity);
    case 'maglev':
      return new Maglev(options.tableSize);
    default:
      throw unknownAlgorithmError(String(name satisfies never));
  }
}
