// Checks the fan-out, retry and passive-ejection settings, from the config
// file or a PUT on the admin API: the fields given are merged over `base`
// (the defaults, or the settings in force), each checked with an exact message.
import type { FanoutOptions, OutlierOptions, RetryOptions } from './config.js';
import { expectBoolean, expectObject, expectWithin, fail } from './field-validators.js';
import { InvalidFieldError } from './invalid-field-error.js';
import { describeLimit, LIMITS, withinLimit } from './limits.js';
import { parseRouteRules } from './route-rule.js';
import { unknownFieldWarnings } from './unknown-fields.js';

export const FANOUT_FIELDS = ['enabled', 'routes', 'servers', 'baseMs', 'capMs', 'deadlineMs', 'maxBodyBytes'] as const;
export const RETRY_FIELDS = ['count', 'baseMs', 'capMs', 'budgetPercent', 'minRetryConcurrency', 'maxBodyBytes', 'routes'] as const;
export const OUTLIER_FIELDS = ['enabled', 'consecutive5xx', 'baseEjectionMs', 'maxEjectionMs', 'maxEjectionPercent'] as const;

/** Upper bounds that keep every wait and loop bounded (from LIMITS, kept under these names for callers). */
export const MAX_BACKOFF_MS = LIMITS.backoffMs.max;
export const MAX_FANOUT_DEADLINE_MS = LIMITS.fanoutDeadlineMs.max;
export const MAX_RETRIES = LIMITS.retryCount.max;
export const MAX_EJECTION_MS = LIMITS.ejectionMs.max;

export function parseFanout(field: string, value: unknown, base: FanoutOptions, warnings: string[]): FanoutOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, FANOUT_FIELDS));
  const baseMs = raw.baseMs === undefined ? base.baseMs : expectWithin(`${field}.baseMs`, raw.baseMs, LIMITS.backoffMs);
  const capMs = raw.capMs === undefined ? base.capMs : expectWithin(`${field}.capMs`, raw.capMs, LIMITS.backoffMs);
  checkNotBelow(`${field}.capMs`, capMs, `${field}.baseMs`, baseMs);
  return {
    enabled: raw.enabled === undefined ? base.enabled : expectBoolean(`${field}.enabled`, raw.enabled),
    routes: raw.routes === undefined ? base.routes : parseRouteRules(`${field}.routes`, raw.routes),
    servers: raw.servers === undefined ? base.servers : parseServerCount(`${field}.servers`, raw.servers),
    baseMs,
    capMs,
    deadlineMs:
      raw.deadlineMs === undefined ? base.deadlineMs : expectWithin(`${field}.deadlineMs`, raw.deadlineMs, LIMITS.fanoutDeadlineMs),
    maxBodyBytes: raw.maxBodyBytes === undefined ? base.maxBodyBytes : expectWithin(`${field}.maxBodyBytes`, raw.maxBodyBytes, LIMITS.fanoutMaxBodyBytes),
  };
}

export function parseRetries(field: string, value: unknown, base: RetryOptions, warnings: string[]): RetryOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, RETRY_FIELDS));
  const baseMs = raw.baseMs === undefined ? base.baseMs : expectWithin(`${field}.baseMs`, raw.baseMs, LIMITS.backoffMs);
  const capMs = raw.capMs === undefined ? base.capMs : expectWithin(`${field}.capMs`, raw.capMs, LIMITS.backoffMs);
  checkNotBelow(`${field}.capMs`, capMs, `${field}.baseMs`, baseMs);
  return {
    count: raw.count === undefined ? base.count : expectWithin(`${field}.count`, raw.count, LIMITS.retryCount),
    baseMs,
    capMs,
    budgetPercent:
      raw.budgetPercent === undefined ? base.budgetPercent : expectWithin(`${field}.budgetPercent`, raw.budgetPercent, LIMITS.percent),
    minRetryConcurrency:
      raw.minRetryConcurrency === undefined
        ? base.minRetryConcurrency
        : expectWithin(`${field}.minRetryConcurrency`, raw.minRetryConcurrency, LIMITS.minRetryConcurrency),
    maxBodyBytes: raw.maxBodyBytes === undefined ? base.maxBodyBytes : expectWithin(`${field}.maxBodyBytes`, raw.maxBodyBytes, LIMITS.retryMaxBodyBytes),
    routes: raw.routes === undefined ? base.routes : parseRouteRules(`${field}.routes`, raw.routes),
  };
}

export function parseOutlier(field: string, value: unknown, base: OutlierOptions, warnings: string[]): OutlierOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, OUTLIER_FIELDS));
  const baseEjectionMs =
    raw.baseEjectionMs === undefined ? base.baseEjectionMs : expectWithin(`${field}.baseEjectionMs`, raw.baseEjectionMs, LIMITS.ejectionMs);
  const maxEjectionMs =
    raw.maxEjectionMs === undefined ? base.maxEjectionMs : expectWithin(`${field}.maxEjectionMs`, raw.maxEjectionMs, LIMITS.ejectionMs);
  checkNotBelow(`${field}.maxEjectionMs`, maxEjectionMs, `${field}.baseEjectionMs`, baseEjectionMs);
  return {
    enabled: raw.enabled === undefined ? base.enabled : expectBoolean(`${field}.enabled`, raw.enabled),
    consecutive5xx:
      raw.consecutive5xx === undefined ? base.consecutive5xx : expectWithin(`${field}.consecutive5xx`, raw.consecutive5xx, LIMITS.consecutive5xx),
    baseEjectionMs,
    maxEjectionMs,
    maxEjectionPercent:
      raw.maxEjectionPercent === undefined
        ? base.maxEjectionPercent
        : expectWithin(`${field}.maxEjectionPercent`, raw.maxEjectionPercent, LIMITS.percent),
  };
}

function parseServerCount(field: string, value: unknown): 'all' | number {
  if (value === 'all') return 'all';
  if (!withinLimit(value, LIMITS.fanoutServers)) fail(field, `"all" or ${describeLimit(LIMITS.fanoutServers)}`, value);
  return value;
}

function checkNotBelow(field: string, value: number, otherField: string, other: number): void {
  if (value < other) throw new InvalidFieldError(field, `${field} must be at least ${otherField} (${other}), got ${value}`);
}
