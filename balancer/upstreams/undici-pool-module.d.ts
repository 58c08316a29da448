// The type of the one undici module imported by path (see undici-pool.ts).
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export default PoolClass;
}

declare module 'undici/lib/core/util.js' {
  /** A header name in lower case; the common ones as shared strings (no allocation). */
  export function headerNameToString(value: Buffer | string): string;
}
