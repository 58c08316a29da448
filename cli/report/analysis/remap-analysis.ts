import type { RequestLogEntry } from '../../load/request-log.js';
import type { RunAction, RunRemap } from '../run-summary.js';

/** Algorithms that map a key to a server, where an add or rm should move about 1/N of the keys. */
export const HASHING_ALGORITHMS: ReadonlySet<string> = new Set(['consistent-hash', 'maglev']);

export interface RemapInput {
  readonly actions: readonly RunAction[];
  /** Servers at the start. */
  readonly servers: readonly string[];
  /** The query parameter the balancer hashes. */
  readonly keyParam: string;
  /** Called once per change: the run's requests on the same clock as the actions. */
  readonly entries: () => Iterable<RequestLogEntry>;
}

/** The value of `param` in a path's query string, or undefined. */
export function keyOf(path: string, param: string): string | undefined {
  const query = path.indexOf('?');
  if (query === -1) return undefined;
  for (const pair of path.slice(query + 1).split('&')) {
    const equals = pair.indexOf('=');
    if (equals !== -1 && pair.slice(0, equals) === param) return pair.slice(equals + 1);
  }
  return undefined;
}

function answered(entry: RequestLogEntry): boolean {
  return entry.status >= 200 && entry.status < 500 && !entry.server.startsWith('(');
}

/**
 * For every add or rm: of the keys answered both before and after the
 * change, how many changed server, and how many of those went to the added
 * server (or came from the removed one). "After" starts once the change
 * took effect: the added server's first response, the removed one's last. Pure.
 */
export function analyseRemap(input: RemapInput): RunRemap[] {
  const ordered = [...input.actions].sort((a, b) => a.atMs - b.atMs);
  const lab = new Set(input.servers);
  const rows: RunRemap[] = [];
  for (const [index, action] of ordered.entries()) {
    if (action.action !== 'add' && action.action !== 'rm') continue;
    const server = action.target.split(',')[0]?.trim() ?? '';
    const before = lab.size;
    if (action.action === 'add') lab.add(server);
    else lab.delete(server);
    const previousMs = ordered.slice(0, index).reverse().find((a) => a.action === 'add' || a.action === 'rm')?.atMs ?? Number.NEGATIVE_INFINITY;
    const nextMs = ordered.slice(index + 1).find((a) => a.action === 'add' || a.action === 'rm')?.atMs ?? Number.POSITIVE_INFINITY;
    // When the change took effect: the start of the added server's first request, or of the removed one's last.
    let effectiveMs: number | undefined;
    for (const entry of input.entries()) {
      if (entry.server !== server || !answered(entry) || entry.endMs < action.atMs || entry.startMs >= nextMs) continue;
      if (action.action === 'add') effectiveMs = Math.min(effectiveMs ?? entry.startMs, entry.startMs);
      else effectiveMs = Math.max(effectiveMs ?? entry.startMs, entry.startMs) + 1e-6;
    }
    const afterMs = effectiveMs ?? action.atMs;
    const ownerBefore = new Map<string, { server: string; atMs: number }>();
    const ownerAfter = new Map<string, { server: string; atMs: number }>();
    for (const entry of input.entries()) {
      if (!answered(entry)) continue;
      const key = keyOf(entry.path, input.keyParam);
      if (key === undefined) continue;
      const owners = entry.endMs < action.atMs && entry.startMs >= previousMs ? ownerBefore : entry.startMs >= afterMs && entry.startMs < nextMs ? ownerAfter : undefined;
      if (owners === undefined) continue;
      const known = owners.get(key);
      if (known === undefined || known.atMs <= entry.endMs) owners.set(key, { server: entry.server, atMs: entry.endMs });
    }
    let compared = 0;
    let moved = 0;
    let viaChanged = 0;
    for (const [key, previous] of ownerBefore) {
      const after = ownerAfter.get(key);
      if (after === undefined) continue;
      compared += 1;
      if (after.server === previous.server) continue;
      moved += 1;
      if ((action.action === 'add' ? after.server : previous.server) === server) viaChanged += 1;
    }
    const servers = action.action === 'add' ? lab.size : before;
    rows.push({
      atMs: action.atMs,
      action: action.action,
      server,
      keysCompared: compared,
      keysMoved: moved,
      movedFraction: compared === 0 ? 0 : moved / compared,
      movedViaChanged: viaChanged,
      idealFraction: servers > 0 ? 1 / servers : 0,
      serversAfter: lab.size,
    });
  }
  return rows;
}
