import type { BalancerEvent, ServerHealth } from '../../balancer/api-types.js';
import type { EventLine, EventTone } from './dashboard-state.js';

const HEALTH_TONE: Record<ServerHealth, EventTone> = { up: 'good', down: 'bad', ejected: 'warn' };

/**
 * The event-log line for a balancer event. `previousHealth` is what the
 * dashboard last knew of the server, so a health change reads `server2 up -> down`.
 */
export function describeEvent(event: BalancerEvent, previousHealth: ServerHealth | undefined): EventLine {
  const server = event.server ?? '(balancer)';
  const detail = event.detail === undefined || event.detail === '' ? {} : { detail: event.detail };
  switch (event.type) {
    case 'health': {
      const to = event.health ?? 'down';
      // The balancer says `up -> down (2 failed checks: ...)`; older ones only the reason.
      const stated = /^(up|down|ejected) -> (?:up|down|ejected)(?: \((.*)\))?$/s.exec(event.detail ?? '');
      const known = stated?.[1] as ServerHealth | undefined;
      const guess = previousHealth !== undefined && previousHealth !== to ? previousHealth : to === 'up' ? 'down' : 'up';
      const from = known ?? guess;
      const reason = stated === null ? detail : stated[2] === undefined || stated[2] === '' ? {} : { detail: stated[2] };
      return { atMs: event.at, text: `${server} ${from} -> ${to}`, tone: HEALTH_TONE[to], ...reason };
    }
    case 'ejected':
      return { atMs: event.at, text: `${server} ejected`, tone: 'warn', ...detail };
    case 'added':
      return { atMs: event.at, text: `${server} added`, tone: 'info', ...detail };
    case 'removed':
      return { atMs: event.at, text: `${server} removed`, tone: 'info', ...detail };
    case 'algorithm':
      return { atMs: event.at, text: `algorithm -> ${event.detail ?? '?'}`, tone: 'info' };
    case 'retry-budget':
      return { atMs: event.at, text: `retry budget${event.server === undefined ? '' : ` ${event.server}`}`, tone: 'warn', ...detail };
    case 'worker':
      return { atMs: event.at, text: 'balancer worker restarted', tone: 'warn', ...detail };
    default:
      return { atMs: event.at, text: `${String((event as { type?: unknown }).type)} ${event.server ?? ''}`.trim(), tone: 'info', ...detail };
  }
}

/** Checks the shape of a parsed `data:` payload. */
export function isBalancerEvent(value: unknown): value is BalancerEvent {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { type?: unknown; at?: unknown };
  return typeof candidate.type === 'string' && typeof candidate.at === 'number';
}
