import { LIMITS } from './limits.js';

/**
 * Server names for a message, at most LIMITS.listedServers of them:
 * `server1, server2`, `(none)`, or `server1, ..., server5 and 3998 more (4003 servers)`.
 */
export function describeNames(names: readonly string[], max: number = LIMITS.listedServers.max): string {
  if (names.length === 0) return '(none)';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more (${names.length} servers)`;
}

/** The first LIMITS.listedServers items, for a JSON error body (with the full count beside them). */
export function firstListed<T>(items: readonly T[], max: number = LIMITS.listedServers.max): T[] {
  return items.slice(0, max);
}
