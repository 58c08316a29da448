import { describe, expect, it } from 'vitest';
import { namesToAdd } from '../../../cli/lab/scale.js';

describe('namesToAdd', () => {
  it.each([
    { existing: ['server1', 'server2', 'server3'], requested: [], n: undefined, expected: ['server4'] },
    { existing: ['server1', 'server2', 'server3'], requested: [], n: 2, expected: ['server4', 'server5'] },
    { existing: ['server1', 'server3'], requested: [], n: 2, expected: ['server2', 'server4'] },
    { existing: ['server1'], requested: ['s9'], n: 2, expected: ['s9', 'server2'] },
    { existing: ['server1'], requested: ['server4', 'server5'], n: undefined, expected: ['server4', 'server5'] },
  ])('$existing + $requested (n=$n) -> $expected', ({ existing, requested, n, expected }) => {
    expect(namesToAdd(existing, requested, n)).toEqual(expected);
  });

  it('refuses more names than --n, like the seed API', () => {
    expect(() => namesToAdd(['server1'], ['a', 'b'], 1)).toThrow(
      '--n 1 is less than the 2 names given (a, b); give at most 1 names or raise --n',
    );
  });

  it('refuses a name that exists', () => {
    expect(() => namesToAdd(['server1', 'server2'], ['server2'], undefined)).toThrow(
      'server "server2" already exists; servers: server1, server2',
    );
  });
});
