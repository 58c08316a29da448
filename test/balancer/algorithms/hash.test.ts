import { describe, expect, it } from 'vitest';

import { murmur3 } from '../../../balancer/algorithms/hash.js';

describe('murmur3 (x86, 32-bit)', () => {
  it.each([
    { text: '', seed: 0, expected: 0x00000000 },
    { text: '', seed: 1, expected: 0x514e28b7 },
    { text: 'abc', seed: 0, expected: 0xb3dd93fa },
    { text: 'hello', seed: 0, expected: 0x248bfa47 },
    { text: 'The quick brown fox jumps over the lazy dog', seed: 0, expected: 0x2e4ff723 },
  ])('matches the reference for $text (seed $seed)', ({ text, seed, expected }) => {
    expect(murmur3(text, seed)).toBe(expected);
  });

  it('spreads similar names over the whole ring (no clustering of s1#0, s1#1, ...)', () => {
    // Share of the 32-bit space in each eighth: a char-sum hash would put all of these in one.
    const buckets = new Array<number>(8).fill(0);
    for (const server of ['s1', 's2', 's3']) {
      for (let i = 0; i < 160; i++) {
        const bucket = Math.floor(murmur3(`${server}#${i}`) / 2 ** 29);
        buckets[bucket] = (buckets[bucket] ?? 0) + 1;
      }
    }
    for (const count of buckets) expect(count).toBeGreaterThan(40);
  });
});
