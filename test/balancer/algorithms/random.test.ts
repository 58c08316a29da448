import { describe, expect, it } from 'vitest';

import { algorithm, candidates, countBy, pickNames } from './support.js';

describe('random', () => {
  it('is uniform: 4 servers each get 25% ± 2% of 40,000 picks', () => {
    const counts = countBy(pickNames(algorithm('random'), candidates('a', 'b', 'c', 'd'), 40_000));
    expect(Object.keys(counts).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const count of Object.values(counts)) expect(Math.abs(count / 40_000 - 0.25)).toBeLessThan(0.02);
  });

  it('gives the same sequence for the same seed and another for another seed', () => {
    const list = candidates('a', 'b', 'c', 'd', 'e');
    const run = (seed: number): string => pickNames(algorithm('random', {}, seed), list, 50).join(' ');
    expect(run(1)).toBe(run(1));
    expect(run(1)).not.toBe(run(2));
  });

  it('stays in range when the source returns its extremes', async () => {
    const { createAlgorithm } = await import('../../../balancer/algorithms/index.js');
    const list = candidates('a', 'b', 'c');
    const low = createAlgorithm('random', { random: () => 0, now: () => 0 });
    const high = createAlgorithm('random', { random: () => 0.9999999999, now: () => 0 });
    expect(low.pick(list, { key: '' })?.name).toBe('a');
    expect(high.pick(list, { key: '' })?.name).toBe('c');
  });
});
