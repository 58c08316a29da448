import PoolClass from 'undici/lib/dispatcher/pool.js';
import { describe, expect, it } from 'vitest';

import { lowerCaseHeaderName } from '../../../balancer/upstreams/header-name.js';

describe('undici-pool', () => {
  it('imports by path the same Pool that undici exports (so an undici upgrade that moves it fails here)', async () => {
    const undici = await import('undici');
    expect(PoolClass).toBe(undici.Pool);
  });

  it('reads header names by path from undici: lower case, the common ones as one shared string', () => {
    expect(lowerCaseHeaderName(Buffer.from('Content-Type'))).toBe('content-type');
    expect(lowerCaseHeaderName(Buffer.from('X-Lab-Thing'))).toBe('x-lab-thing');
    expect(lowerCaseHeaderName('Keep-Alive')).toBe('keep-alive');
  });
});
