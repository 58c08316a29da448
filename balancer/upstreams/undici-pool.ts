// undici's connection Pool on its own. `import { Pool } from 'undici'` loads
// the whole library (fetch, WebSocket, caches) and, through it, Node's own
// bundled copy of undici: some 60 ms more start-up for every balancer, for
// code it never runs. test/balancer/undici-pool.test.ts checks that this
// path still holds the Pool that undici exports.
import type { Pool } from 'undici';
import PoolClass from 'undici/lib/dispatcher/pool.js';

export function connectionPool(origin: string, options: Pool.Options): Pool {
  return new PoolClass(origin, options);
}
