import { naturalCompare } from '../load/natural-compare.js';

/** Servers by name, naturally (server2 before server10); the `(none)` and `(no response)` buckets last. */
export function compareServerNames(a: string, b: string): number {
  const aBucket = a.startsWith('(');
  const bBucket = b.startsWith('(');
  if (aBucket !== bBucket) return aBucket ? 1 : -1;
  return naturalCompare(a, b);
}
