// The 10,000-request spread of the seed project (GET /home?id=0..9999 over 3
// servers) as a pure algorithm test: the keys the data path reads from those
// URLs, picked by consistent-hash over the lab's server names. No HTTP.
import { describe, expect, it } from 'vitest';

import { hashKey } from '../../../balancer/data-path/hash-key.js';
import { algorithm, candidates, countBy, pickNames } from './support.js';

const URLS = Array.from({ length: 10_000 }, (_, id) => `/home?id=${id}`);
const SERVERS = candidates('server1', 'server2', 'server3');

describe('consistent-hash over /home?id=0..9999', () => {
  it('gives every server a share, none above 40% (the seed had 253/283/464 per 1,000)', () => {
    const keys = URLS.map((url) => hashKey(url, 'id', '127.0.0.1'));
    expect(new Set(keys).size).toBe(10_000);
    const counts = countBy(pickNames(algorithm('consistent-hash'), SERVERS, keys.length, (i) => keys[i] ?? ''));
    expect(Object.keys(counts).sort()).toEqual(['server1', 'server2', 'server3']);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(10_000);
    for (const [server, count] of Object.entries(counts)) expect(count / 10_000, server).toBeLessThanOrEqual(0.4);
  });

  it('is the same spread for every seed: the ring has no randomness', () => {
    const keys = URLS.map((url) => hashKey(url, 'id', '127.0.0.1'));
    const names = (seed: number): string[] => pickNames(algorithm('consistent-hash', {}, seed), SERVERS, keys.length, (i) => keys[i] ?? '');
    expect(names(1)).toEqual(names(99));
  });
});
