import PoolClass from 'undici/lib/dispatcher/pool.js';
import { describe, expect, it } from 'vitest';

describe('undici-pool', () => {
  it('imports by path the same Pool that undici exports (so an undici upgrade that moves it fails here)', async () => {
    const undici = await import('undici');
    expect(PoolClass).toBe(undici.Pool);
  });
});
