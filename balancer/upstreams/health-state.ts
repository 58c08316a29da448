import type { ServerHealth } from '../api-types.js';

export interface HealthCounts {
  /** Consecutive passed checks. */
  readonly passed: number;
  /** Consecutive failed checks. */
  readonly failed: number;
}

export interface HealthStep {
  readonly counts: HealthCounts;
  /** Set when the check changes the server's health. */
  readonly to?: ServerHealth;
  /** Why, for the log line and the event: `2 failed checks: ECONNREFUSED`. */
  readonly detail?: string;
}

export interface HealthThresholds {
  readonly fall: number;
  readonly rise: number;
}

/**
 * Applies one check result. Up → down after `fall` consecutive failures;
 * down → up after `rise` consecutive passes, except that a server never up
 * yet comes up on its first passed check (so a new lab is ready quickly).
 */
export function nextHealthStep(
  health: ServerHealth,
  everUp: boolean,
  counts: HealthCounts,
  result: { readonly ok: boolean; readonly reason: string },
  thresholds: HealthThresholds,
): HealthStep {
  if (result.ok) {
    const next = { passed: counts.passed + 1, failed: 0 };
    if (health === 'up') return { counts: next };
    if (!everUp) return { counts: next, to: 'up', detail: 'first check passed' };
    if (next.passed >= thresholds.rise) return { counts: next, to: 'up', detail: `${plural(next.passed, 'passed check')}` };
    return { counts: next };
  }
  const next = { passed: 0, failed: counts.failed + 1 };
  if (health === 'up' && next.failed >= thresholds.fall) {
    return { counts: next, to: 'down', detail: `${plural(next.failed, 'failed check')}: ${result.reason}` };
  }
  return { counts: next };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
