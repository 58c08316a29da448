import { describe, expect, it } from 'vitest';

import { algorithm, candidate as c, countBy, pickNames } from './support.js';

describe('weighted-round-robin', () => {
  it.each([
    { weights: [5, 1, 1], rounds: 10 },
    { weights: [3, 2, 1], rounds: 10 },
    { weights: [1, 1, 1], rounds: 7 },
    { weights: [10, 1], rounds: 3 },
  ])('serves weights $weights in exact proportion over $rounds rounds', ({ weights, rounds }) => {
    const list = weights.map((weight, i) => c(`s${i + 1}`, { weight }));
    const total = weights.reduce((sum, w) => sum + w, 0);
    const counts = countBy(pickNames(algorithm('weighted-round-robin'), list, total * rounds));
    expect(counts).toEqual(Object.fromEntries(list.map((s) => [s.name, s.weight * rounds])));
  });

  it('spreads the heavy server out: 5,1,1 repeats a a b a c a a, light servers never adjacent', () => {
    const picks = pickNames(algorithm('weighted-round-robin'), [c('a', { weight: 5 }), c('b'), c('c')], 70).join('');
    expect(picks).toBe('aabacaa'.repeat(10));
    expect(picks).not.toMatch(/[bc][bc]/);
  });

  it('restarts a server that left and came back from zero, and keeps serving the others in proportion', () => {
    const wrr = algorithm('weighted-round-robin');
    const full = [c('a', { weight: 2 }), c('b', { weight: 1 }), c('c', { weight: 1 })];
    const before = pickNames(wrr, full, 4);
    const without = pickNames(wrr, [full[0]!, full[2]!], 6);
    const after = pickNames(wrr, full, 8);
    expect(before.join(' ')).toBe('a b c a');
    expect(countBy(without)).toEqual({ a: 4, c: 2 });
    expect(countBy(after)).toEqual({ a: 4, b: 2, c: 2 });
  });
});
