import { describe, expect, it } from 'vitest';

import { algorithm, candidate as c, candidates, countBy, pickNames } from './support.js';

describe('power-of-two', () => {
  const loaded = [c('heavy', { inFlight: 5 }), c('light', { inFlight: 1 }), c('idle')];

  it('never picks the most loaded of 3 when the two others are lighter', () => {
    const picks = pickNames(algorithm('power-of-two'), loaded, 3000);
    expect(picks).not.toContain('heavy');
  });

  it('picks the idle server in 2/3 of draws and the light one in 1/3 (±0.03)', () => {
    const counts = countBy(pickNames(algorithm('power-of-two'), loaded, 30_000));
    expect((counts.idle ?? 0) / 30_000).toBeCloseTo(2 / 3, 1);
    expect(Math.abs((counts.idle ?? 0) / 30_000 - 2 / 3)).toBeLessThan(0.03);
    expect(Math.abs((counts.light ?? 0) / 30_000 - 1 / 3)).toBeLessThan(0.03);
  });

  it('draws two distinct servers: with 2, the lighter one always wins', () => {
    const picks = pickNames(algorithm('power-of-two'), [c('a', { inFlight: 1 }), c('b')], 200);
    expect(countBy(picks)).toEqual({ b: 200 });
  });

  it('on a tie takes the first drawn, so equal loads spread evenly (±3%)', () => {
    const counts = countBy(pickNames(algorithm('power-of-two'), candidates('a', 'b', 'c'), 30_000));
    for (const name of ['a', 'b', 'c']) expect(Math.abs((counts[name] ?? 0) / 30_000 - 1 / 3)).toBeLessThan(0.03);
  });

  it('returns the only candidate', () => {
    expect(pickNames(algorithm('power-of-two'), candidates('solo'), 3)).toEqual(['solo', 'solo', 'solo']);
  });

  it('gives the same sequence for the same seed and another for another seed', () => {
    const list = candidates('a', 'b', 'c', 'd', 'e');
    const run = (seed: number): string => pickNames(algorithm('power-of-two', {}, seed), list, 50).join(' ');
    expect(run(1)).toBe(run(1));
    expect(run(1)).not.toBe(run(2));
  });
});
