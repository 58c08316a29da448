// The `mode` setting (http or tcp) and the kind of health check that goes with it.
import type { BalancerMode, HealthCheckKind, HealthCheckOptions } from './config.js';
import { fail } from './field-validators.js';

export const BALANCER_MODES = ['http', 'tcp'] as const satisfies readonly BalancerMode[];
export const HEALTH_CHECK_KINDS = ['http', 'tcp'] as const satisfies readonly HealthCheckKind[];

export function parseMode(field: string, value: unknown): BalancerMode {
  if (value !== 'http' && value !== 'tcp') fail(field, `one of ${BALANCER_MODES.join(', ')}`, value);
  return value;
}

export function parseHealthCheckKind(field: string, value: unknown): HealthCheckKind {
  if (value !== 'http' && value !== 'tcp') fail(field, `one of ${HEALTH_CHECK_KINDS.join(', ')}`, value);
  return value;
}

/** A check left unset is a TCP connect in tcp mode (HAProxy's `check` in `mode tcp`); in http mode it stays unset, which means an HTTP GET. */
export function withDefaultCheck(health: HealthCheckOptions, mode: BalancerMode): HealthCheckOptions {
  if (health.check !== undefined || mode === 'http') return health;
  return { ...health, check: 'tcp' };
}
