import { describe, expect, it } from 'vitest';
import { factorial } from '../../sample-server/factorial.js';
import { drawInjectedError, drawLatencyMs } from '../../sample-server/fault.js';

describe('factorial', () => {
  it.each([
    [0, 1n],
    [1, 1n],
    [5, 120n],
    [20, 2432902008176640000n],
    [25, 15511210043330985984000000n],
  ])('%i! = %s', (n, expected) => {
    expect(factorial(n)).toBe(expected);
  });

  it('is exact for large n', () => {
    expect(factorial(1000).toString()).toHaveLength(2568);
    expect(factorial(5000).toString()).toHaveLength(16326);
    expect(factorial(101) / factorial(100)).toBe(101n);
  });
});

describe('fault draws', () => {
  it('draws whole-ms latency across the inclusive range, without calling random for a fixed value', () => {
    expect(drawLatencyMs({ minMs: 100, maxMs: 300 }, () => 0)).toBe(100);
    expect(drawLatencyMs({ minMs: 100, maxMs: 300 }, () => 0.999_999)).toBe(300);
    expect(drawLatencyMs({ minMs: 100, maxMs: 300 }, () => 0.5)).toBe(200);
    expect(drawLatencyMs({ minMs: 200, maxMs: 200 }, () => { throw new Error('not called'); })).toBe(200);
  });

  it('fails every draw at rate 1 and none at rate 0', () => {
    expect(drawInjectedError(1, () => 0.999_999)).toBe(true);
    expect(drawInjectedError(0, () => 0)).toBe(false);
  });
});
