// Checks the fan-out, retry and passive-ejection settings, from the config
// file or a PUT on the admin API: the fields given are merged over `base`
// (the defaults, or the settings in force), each checked with an exact message.
import type { FanoutOptions, OutlierOptions, RetryOptions } from './config.js';
import {
  expectBoolean,
  expectIntegerInRange,
  expectNonNegativeInteger,
  expectNumberInRange,
  expectObject,
  expectPositiveInteger,
  fail,
} from './field-validators.js';
import { InvalidFieldError } from './invalid-field-error.js';
import { parseRouteRules } from './route-rule.js';
import { unknownFieldWarnings } from './unknown-fields.js';

export const FANOUT_FIELDS = ['enabled', 'routes', 'servers', 'baseMs', 'capMs', 'deadlineMs', 'maxBodyBytes'] as const;
export const RETRY_FIELDS = ['count', 'baseMs', 'capMs', 'budgetPercent', 'minRetryConcurrency', 'maxBodyBytes', 'routes'] as const;
export const OUTLIER_FIELDS = ['enabled', 'consecutive5xx', 'baseEjectionMs', 'maxEjectionMs', 'maxEjectionPercent'] as const;

/** Upper bounds that keep every wait and loop bounded. */
export const MAX_BACKOFF_MS = 60_000;
export const MAX_FANOUT_DEADLINE_MS = 600_000;
export const MAX_RETRIES = 10;
export const MAX_EJECTION_MS = 3_600_000;

export function parseFanout(field: string, value: unknown, base: FanoutOptions, warnings: string[]): FanoutOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, FANOUT_FIELDS));
  const baseMs = raw.baseMs === undefined ? base.baseMs : expectIntegerInRange(`${field}.baseMs`, raw.baseMs, 1, MAX_BACKOFF_MS);
  const capMs = raw.capMs === undefined ? base.capMs : expectIntegerInRange(`${field}.capMs`, raw.capMs, 1, MAX_BACKOFF_MS);
  checkNotBelow(`${field}.capMs`, capMs, `${field}.baseMs`, baseMs);
  return {
    enabled: raw.enabled === undefined ? base.enabled : expectBoolean(`${field}.enabled`, raw.enabled),
    routes: raw.routes === undefined ? base.routes : parseRouteRules(`${field}.routes`, raw.routes),
    servers: raw.servers === undefined ? base.servers : parseServerCount(`${field}.servers`, raw.servers),
    baseMs,
    capMs,
    deadlineMs:
      raw.deadlineMs === undefined ? base.deadlineMs : expectIntegerInRange(`${field}.deadlineMs`, raw.deadlineMs, 1, MAX_FANOUT_DEADLINE_MS),
    maxBodyBytes: raw.maxBodyBytes === undefined ? base.maxBodyBytes : expectPositiveInteger(`${field}.maxBodyBytes`, raw.maxBodyBytes),
  };
}

export function parseRetries(field: string, value: unknown, base: RetryOptions, warnings: string[]): RetryOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, RETRY_FIELDS));
  const baseMs = raw.baseMs === undefined ? base.baseMs : expectIntegerInRange(`${field}.baseMs`, raw.baseMs, 1, MAX_BACKOFF_MS);
  const capMs = raw.capMs === undefined ? base.capMs : expectIntegerInRange(`${field}.capMs`, raw.capMs, 1, MAX_BACKOFF_MS);
  checkNotBelow(`${field}.capMs`, capMs, `${field}.baseMs`, baseMs);
  return {
    count: raw.count === undefined ? base.count : expectIntegerInRange(`${field}.count`, raw.count, 0, MAX_RETRIES),
    baseMs,
    capMs,
    budgetPercent:
      raw.budgetPercent === undefined ? base.budgetPercent : expectNumberInRange(`${field}.budgetPercent`, raw.budgetPercent, 0, 100),
    minRetryConcurrency:
      raw.minRetryConcurrency === undefined
        ? base.minRetryConcurrency
        : expectNonNegativeInteger(`${field}.minRetryConcurrency`, raw.minRetryConcurrency),
    maxBodyBytes: raw.maxBodyBytes === undefined ? base.maxBodyBytes : expectNonNegativeInteger(`${field}.maxBodyBytes`, raw.maxBodyBytes),
    routes: raw.routes === undefined ? base.routes : parseRouteRules(`${field}.routes`, raw.routes),
  };
}

export function parseOutlier(field: string, value: unknown, base: OutlierOptions, warnings: string[]): OutlierOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, OUTLIER_FIELDS));
  const baseEjectionMs =
    raw.baseEjectionMs === undefined ? base.baseEjectionMs : expectIntegerInRange(`${field}.baseEjectionMs`, raw.baseEjectionMs, 1, MAX_EJECTION_MS);
  const maxEjectionMs =
    raw.maxEjectionMs === undefined ? base.maxEjectionMs : expectIntegerInRange(`${field}.maxEjectionMs`, raw.maxEjectionMs, 1, MAX_EJECTION_MS);
  checkNotBelow(`${field}.maxEjectionMs`, maxEjectionMs, `${field}.baseEjectionMs`, baseEjectionMs);
  return {
    enabled: raw.enabled === undefined ? base.enabled : expectBoolean(`${field}.enabled`, raw.enabled),
    consecutive5xx:
      raw.consecutive5xx === undefined ? base.consecutive5xx : expectPositiveInteger(`${field}.consecutive5xx`, raw.consecutive5xx),
    baseEjectionMs,
    maxEjectionMs,
    maxEjectionPercent:
      raw.maxEjectionPercent === undefined
        ? base.maxEjectionPercent
        : expectNumberInRange(`${field}.maxEjectionPercent`, raw.maxEjectionPercent, 0, 100),
  };
}

function parseServerCount(field: string, value: unknown): 'all' | number {
  if (value === 'all') return 'all';
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) fail(field, '"all" or a positive integer', value);
  return value;
}

function checkNotBelow(field: string, value: number, otherField: string, other: number): void {
  if (value < other) throw new InvalidFieldError(field, `${field} must be at least ${otherField} (${other}), got ${value}`);
}
