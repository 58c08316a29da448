import type { ServerHealth } from '../../balancer/api-types.js';
import type { MemberState } from '../runtime/runtime.js';
import type { EventTone } from './dashboard-state.js';

/** Colours by meaning, so every component agrees. */
export const HEALTH_COLOR: Record<ServerHealth | 'unknown', string | undefined> = {
  up: 'green',
  down: 'red',
  ejected: 'yellow',
  unknown: 'gray',
};

export const STATE_COLOR: Record<MemberState | 'unknown', string | undefined> = {
  running: undefined,
  stopped: 'red',
  paused: 'yellow',
  missing: 'gray',
  unknown: 'gray',
};

export const TONE_COLOR: Record<EventTone, string | undefined> = {
  info: undefined,
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  action: 'cyan',
};
