// Which algorithms make sense per connection. least-response-time needs the
// time of each answer, which a relay of bytes does not see.
import type { AlgorithmName } from '../algorithms/algorithm.js';
import { InvalidFieldError } from '../config/invalid-field-error.js';

/** maglev and consistent-hash hash the client address in tcp mode; first-available takes one connection per server by default. */
export const TCP_ALGORITHMS = [
  'round-robin',
  'weighted-round-robin',
  'least-connections',
  'random',
  'power-of-two',
  'consistent-hash',
  'first-available',
  'maglev',
] as const satisfies readonly AlgorithmName[];

export function isTcpAlgorithm(name: AlgorithmName): boolean {
  return (TCP_ALGORITHMS as readonly string[]).includes(name);
}

/** `algorithm "least-response-time" does not work in tcp mode (...); algorithms in tcp mode: round-robin, ...`, or undefined when it works. */
export function tcpAlgorithmProblem(name: AlgorithmName): string | undefined {
  if (isTcpAlgorithm(name)) return undefined;
  return (
    `algorithm "${name}" does not work in tcp mode (it needs the response time of each request, which a TCP relay does not see); ` +
    `algorithms in tcp mode: ${TCP_ALGORITHMS.join(', ')}`
  );
}

/** Throws InvalidFieldError naming `field` when `name` does not work in tcp mode. */
export function checkTcpAlgorithm(field: string, name: AlgorithmName): void {
  const problem = tcpAlgorithmProblem(name);
  if (problem !== undefined) throw new InvalidFieldError(field, `${field}: ${problem}`);
}
