import { LabError } from '../errors.js';

function bad(option: string, value: unknown, expected: string): LabError {
  return new LabError('LBLAB_BAD_INPUT', `${option} must be ${expected}, got ${JSON.stringify(value)}`, { exitCode: 2 });
}

export function parseInteger(option: string, value: string | number, range: { min: number; max: number }): number {
  const number = typeof value === 'number' ? value : /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < range.min || number > range.max) {
    throw bad(option, value, `an integer from ${range.min} to ${range.max}`);
  }
  return number;
}

export function parseRate(option: string, value: string | number): number {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw bad(option, value, 'a number from 0 to 1');
  return number;
}

/** "200", "200ms", "1.5s", or a range "100-300" / "100ms-300ms", in milliseconds. */
export function parseDurationOrRange(option: string, value: string): number | [number, number] {
  const parts = value.trim().split('-');
  if (parts.length === 2) {
    const [min, max] = parts.map((part) => parseDurationMs(option, part, value)) as [number, number];
    if (min > max) throw bad(option, value, 'a range whose first value is not above the second');
    return [min, max];
  }
  return parseDurationMs(option, value, value);
}

export function parseDurationMs(option: string, part: string, whole: string = part): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(part.trim());
  if (match === null) throw bad(option, whole, 'a duration like 200, 200ms, 1.5s, or a range like 100-300');
  const amount = Number(match[1]);
  return match[2] === 's' ? Math.round(amount * 1000) : Math.round(amount);
}

/** A duration (see parseDurationMs) within [min, max] milliseconds. */
export function parseDurationInRange(option: string, value: string, range: { min: number; max: number }): number {
  const ms = parseDurationMs(option, value);
  if (ms < range.min || ms > range.max) throw bad(option, value, `a duration from ${range.min}ms to ${range.max}ms`);
  return ms;
}

/** "20" or "20%", from 0 to 100. */
export function parsePercent(option: string, value: string): number {
  const number = value.trim() === '' ? Number.NaN : Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(number) || number < 0 || number > 100) throw bad(option, value, 'a percentage from 0 to 100');
  return number;
}

export function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw bad(option, value, `one of ${choices.join(', ')}`);
  return value as T;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/** Lab and server names become container names and DNS names: keep them simple. */
export function parseName(option: string, value: string): string {
  if (!NAME_PATTERN.test(value)) {
    throw bad(option, value, 'a name of lowercase letters, digits, ".", "_" or "-" (at most 63, starting with a letter or digit)');
  }
  return value;
}
