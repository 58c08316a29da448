import type { RequestLogEntry } from '../../load/request-log.js';
import { CANCELLED_STATUS, NO_RESPONSE_STATUS } from '../../load/request-log.js';
import type { RunAction, RunFailover, RunHealthChange } from '../run-summary.js';

const DOWN_ACTIONS = new Set(['kill', 'pause', 'hang']);
const UP_ACTIONS = new Set(['revive', 'unpause']);

export interface FailoverInput {
  readonly actions: readonly RunAction[];
  readonly healthChanges: readonly RunHealthChange[];
  /** Called once per action: the run's requests on the same clock as the actions. */
  readonly entries: () => Iterable<RequestLogEntry>;
  readonly durationMs: number;
}

function targets(action: RunAction): string[] {
  // A fault's target reads `server2 hang` or `server2 clear`.
  if (action.action === 'fault') return [action.target.split(' ')[0] ?? ''];
  return action.target.split(',').map((name) => name.trim()).filter((name) => name !== '');
}

/** kill, pause and a hang fault take a server out; revive, unpause and clearing a fault bring it back. */
function kindOf(action: RunAction): { down: boolean; name: string } | undefined {
  if (DOWN_ACTIONS.has(action.action)) return { down: true, name: action.action };
  if (UP_ACTIONS.has(action.action)) return { down: false, name: action.action };
  if (action.action === 'fault' && / hang\b/.test(action.target)) return { down: true, name: 'hang' };
  if (action.action === 'fault' && / clear$/.test(action.target)) return { down: false, name: 'clear fault' };
  return undefined;
}

function isError(entry: RequestLogEntry): boolean {
  return entry.status === NO_RESPONSE_STATUS || entry.status >= 500;
}

/**
 * For every kill, pause, hang, revive or unpause: how long until the balancer
 * marked the server down (up), until its last (first) response, and the
 * errors clients got in the meantime, by status. Pure.
 */
export function analyseFailover(input: FailoverInput): RunFailover[] {
  const rows: RunFailover[] = [];
  const ordered = [...input.actions].sort((a, b) => a.atMs - b.atMs);
  for (const action of ordered) {
    const kind = kindOf(action);
    if (kind === undefined) continue;
    const down = kind.down;
    for (const server of targets(action)) {
      const t0 = action.atMs;
      const next = ordered.find((other) => other.atMs > t0 && targets(other).includes(server) && (kindOf(other) !== undefined || other.action === 'rm'));
      const untilMs = next?.atMs ?? Number.POSITIVE_INFINITY;
      const wanted = down ? ['down', 'ejected'] : ['up'];
      const change = input.healthChanges.find((h) => h.server === server && h.atMs >= t0 && h.atMs < untilMs && wanted.includes(h.health));
      const markedMs = change === undefined ? null : Math.round(change.atMs - t0);
      let servedAtMs: number | null = null;
      for (const entry of input.entries()) {
        if (entry.server !== server || entry.status <= 0 || entry.endMs < t0 || entry.endMs >= untilMs) continue;
        if (down) servedAtMs = servedAtMs === null ? entry.endMs : Math.max(servedAtMs, entry.endMs);
        else if (entry.startMs >= t0) servedAtMs = servedAtMs === null ? entry.endMs : Math.min(servedAtMs, entry.endMs);
      }
      const servedMs = servedAtMs === null ? null : Math.round(servedAtMs - t0);
      let windowEndMs: number | null = null;
      let errorsLeaked = 0;
      const leakedStatuses: Record<string, number> = {};
      if (down) {
        // Until the balancer stopped sending to it: marked down, or its last response if that came later.
        const candidates = [markedMs, servedMs].filter((value): value is number => value !== null);
        windowEndMs = candidates.length > 0 ? Math.max(...candidates) : Math.round(Math.min(untilMs, input.durationMs) - t0);
        for (const entry of input.entries()) {
          if (entry.status === CANCELLED_STATUS || !isError(entry) || entry.endMs < t0 || entry.endMs > t0 + windowEndMs) continue;
          errorsLeaked += 1;
          const status = entry.status === NO_RESPONSE_STATUS ? 'error' : String(entry.status);
          leakedStatuses[status] = (leakedStatuses[status] ?? 0) + 1;
        }
      }
      rows.push({ atMs: t0, action: kind.name, server, direction: down ? 'down' : 'up', markedMs, servedMs, errorsLeaked, leakedStatuses, windowEndMs });
    }
  }
  return rows;
}
