import { describe, expect, it } from 'vitest';

import { hashKey } from '../../../balancer/data-path/hash-key.js';

describe('hashKey', () => {
  it.each([
    ['/home?id=42', 'id', '42'],
    ['/home?x=1&id=abc&id=zzz', 'id', 'abc'],
    ['/home?uid=1&id=7', 'id', '7'],
    ['/home?id=', 'id', ''],
    ['/home?id', 'id', ''],
    ['/home?id=a%20b+c', 'id', 'a b c'],
    ['/home?id=%zz', 'id', '%zz'],
    ['/home?user=5', 'user', '5'],
    ['/home?identity=1', 'id', '10.0.0.1'],
    ['/home', 'id', '10.0.0.1'],
  ])('%s with param %s → %s', (url, param, expected) => {
    expect(hashKey(url, param, '10.0.0.1')).toBe(expected);
  });

  it('falls back to "" without a client address', () => {
    expect(hashKey('/home', 'id', undefined)).toBe('');
  });
});
