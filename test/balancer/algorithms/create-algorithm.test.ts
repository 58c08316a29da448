import { describe, expect, it } from 'vitest';

import {
  ALGORITHM_NAMES,
  createAlgorithm,
  isAlgorithmName,
  parseAlgorithmName,
  seededRandom,
  systemContext,
  unknownAlgorithmError,
  type AlgorithmName,
  type AlgorithmOptions,
} from '../../../balancer/algorithms/index.js';
import { algorithm, candidates, pickNames } from './support.js';

const UNKNOWN_X =
  'unknown algorithm "x"; algorithms: round-robin, weighted-round-robin, least-connections, power-of-two, ' +
  'random, least-response-time, consistent-hash, first-available, maglev';

describe('createAlgorithm', () => {
  it.each(ALGORITHM_NAMES)('creates %s, which picks from the candidates', (name) => {
    const algo = algorithm(name);
    expect(algo.name).toBe(name);
    expect(['a', 'b', 'c']).toContain(algo.pick(candidates('a', 'b', 'c'), { key: 'k' })?.name);
  });

  it('gives each algorithm its own state', () => {
    const list = candidates('a', 'b', 'c');
    const first = algorithm('round-robin');
    pickNames(first, list, 2);
    expect(pickNames(algorithm('round-robin'), list, 1)).toEqual(['a']);
    expect(pickNames(first, list, 1)).toEqual(['c']);
  });

  it('throws LBLAB_UNKNOWN_ALGORITHM with the exact message for an unknown name', () => {
    const create = (): unknown => createAlgorithm('x' as AlgorithmName, systemContext());
    expect(create).toThrow(UNKNOWN_X);
    expect(create).toThrow(expect.objectContaining({ code: 'LBLAB_UNKNOWN_ALGORITHM', message: UNKNOWN_X }));
    expect(() => parseAlgorithmName('x')).toThrow(expect.objectContaining({ code: 'LBLAB_UNKNOWN_ALGORITHM', message: UNKNOWN_X }));
    expect(unknownAlgorithmError('x')).toMatchObject({ code: 'LBLAB_UNKNOWN_ALGORITHM', message: UNKNOWN_X });
  });

  it.each<{ name: AlgorithmName; options: AlgorithmOptions; message: string }>([
    { name: 'consistent-hash', options: { virtualNodes: 0 }, message: 'consistent-hash option "virtualNodes" must be an integer from 1 to 1000; received 0' },
    { name: 'consistent-hash', options: { virtualNodes: 2e9 }, message: 'consistent-hash option "virtualNodes" must be an integer from 1 to 1000; received 2000000000' },
    { name: 'consistent-hash', options: { boundedLoad: 0.5 }, message: 'consistent-hash option "boundedLoad" must be a number from 1 to 10; received 0.5' },
    { name: 'first-available', options: { capacity: 0 }, message: 'first-available option "capacity" must be an integer from 1 to 10000; received 0' },
    { name: 'maglev', options: { tableSize: 65536 }, message: 'maglev option "tableSize" must be a prime number from 257 to 65537; received 65536' },
    { name: 'maglev', options: { tableSize: 100000007 }, message: 'maglev option "tableSize" must be a prime number from 257 to 65537; received 100000007' },
    { name: 'maglev', options: { tableSize: 1e300 }, message: 'maglev option "tableSize" must be a prime number from 257 to 65537; received 1e+300' },
  ])('throws LBLAB_BAD_ALGORITHM_OPTION: $message', ({ name, options, message }) => {
    expect(() => createAlgorithm(name, systemContext(), options)).toThrow(
      expect.objectContaining({ code: 'LBLAB_BAD_ALGORITHM_OPTION', message }),
    );
  });
});

describe('isAlgorithmName / parseAlgorithmName', () => {
  it.each([...ALGORITHM_NAMES])('accepts %s', (name) => {
    expect(isAlgorithmName(name)).toBe(true);
    expect(parseAlgorithmName(name)).toBe(name);
  });

  it.each(['', 'x', 'Round-Robin', 'roundrobin', 'toString'])('rejects %j', (value) => {
    expect(isAlgorithmName(value)).toBe(false);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed, differs across seeds, stays in [0, 1) with a mean near 0.5', () => {
    const take = (seed: number, count: number): number[] => {
      const random = seededRandom(seed);
      return Array.from({ length: count }, () => random());
    };
    expect(take(42, 3)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(take(1, 100)).toEqual(take(1, 100));
    expect(take(1, 100)).not.toEqual(take(2, 100));
    const values = take(9, 100_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length - 0.5)).toBeLessThan(0.01);
  });
});

describe('systemContext', () => {
  it('gives Math.random-style numbers and a monotonic clock in milliseconds', () => {
    const context = systemContext();
    const value = context.random();
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1);
    const t0 = context.now();
    expect(context.now()).toBeGreaterThanOrEqual(t0);
  });
});
