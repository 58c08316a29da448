// The one duration syntax of lblab, for flags and scenario files alike.
const DURATION_PATTERN = /^(\d{1,15}(?:\.\d{1,6})?)\s*(ms|s|m)?$/;

export const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS_MS;

/** The longest duration a scenario may name: one day. */
export const MAX_SCENARIO_DURATION_MS = 24 * 3_600_000;

/** What the syntax looks like, for messages. */
export function durationExamples(bareUnit: DurationUnit = 'ms'): string {
  return bareUnit === 'ms' ? '250, 250ms, 1.5s or 2m' : `30 (${bareUnit === 's' ? 'seconds' : 'minutes'}), 250ms, 1.5s or 2m`;
}

/**
 * A duration in whole milliseconds: a number of `bareUnit` (default
 * milliseconds) as a number or a string (`250`), or a string with a unit
 * (`500ms`, `1.5s`, `2m`). Undefined for anything else (negative, empty,
 * other units, more than Number.MAX_SAFE_INTEGER ms).
 */
export function parseDurationMs(value: unknown, bareUnit: DurationUnit = 'ms'): number | undefined {
  let ms: number;
  if (typeof value === 'number') {
    ms = value * DURATION_UNITS_MS[bareUnit];
  } else if (typeof value === 'string') {
    const match = DURATION_PATTERN.exec(value.trim());
    if (match === null) return undefined;
    ms = Number(match[1]) * DURATION_UNITS_MS[(match[2] as DurationUnit | undefined) ?? bareUnit];
  } else {
    return undefined;
  }
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const rounded = Math.round(ms);
  return Number.isSafeInteger(rounded) ? rounded : undefined;
}

/** 3000 → "3s", 3500 → "3.5s", 250 → "250ms". */
export function formatDurationMs(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
