// Parsers for flag values. Each throws LabError LBLAB_BAD_INPUT (exit 2) with
// a message naming the flag, the value received and what was expected; the
// `*Arg` forms plug into commander's Option#argParser, so a command's action
// receives typed values.
import { Option } from 'commander';
import { LabError } from '../errors.js';
import { durationExamples, parseDurationMs, type DurationUnit } from '../scenario/duration.js';

export function badInput(message: string, cause?: unknown): LabError {
  return new LabError('LBLAB_BAD_INPUT', message, { exitCode: 2, ...(cause === undefined ? {} : { cause }) });
}

function bad(option: string, value: unknown, expected: string): LabError {
  return badInput(`${option} must be ${expected}, got ${JSON.stringify(value)}`);
}

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

const ANY_INTEGER: IntegerRange = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** A decimal integer within `range` (default: any safe integer, which the balancer's own parser bounds later). */
export function parseInteger(option: string, value: string | number, range: IntegerRange = ANY_INTEGER): number {
  const number = typeof value === 'number' ? value : /^-?\d{1,16}$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < range.min || number > range.max) {
    throw bad(option, value, range === ANY_INTEGER ? 'an integer' : `an integer from ${range.min} to ${range.max}`);
  }
  return number;
}

export function parseRate(option: string, value: string | number): number {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw bad(option, value, 'a number from 0 to 1');
  return number;
}

export interface DurationRange {
  readonly minMs?: number;
  readonly maxMs?: number;
  /** Unit of a bare number (default ms). */
  readonly bareUnit?: DurationUnit;
}

/** A duration (`250`, `250ms`, `1.5s`, `2m`) in milliseconds, within [minMs, maxMs] when given. */
export function parseDuration(option: string, value: string, range: DurationRange = {}): number {
  const ms = parseDurationMs(value, range.bareUnit);
  const { minMs, maxMs } = range;
  const outside = ms === undefined || (minMs !== undefined && ms < minMs) || (maxMs !== undefined && ms > maxMs);
  if (!outside) return ms;
  const bounds =
    minMs !== undefined && maxMs !== undefined
      ? ` from ${minMs}ms to ${maxMs}ms`
      : minMs !== undefined
        ? ` of at least ${minMs}ms`
        : maxMs !== undefined
          ? ` of at most ${maxMs}ms`
          : '';
  throw bad(option, value, `a duration${bounds} like ${durationExamples(range.bareUnit)}`);
}

/** "200", "200ms", "1.5s", or a range "100-300" / "100ms-300ms", in milliseconds. */
export function parseDurationOrRange(option: string, value: string): number | [number, number] {
  const parts = value.trim().split('-');
  const expected = 'a duration like 200, 200ms or 1.5s, or a range like 100-300';
  const read = (part: string): number => {
    const ms = parseDurationMs(part);
    if (ms === undefined) throw bad(option, value, expected);
    return ms;
  };
  if (parts.length === 2) {
    const [min, max] = parts.map(read) as [number, number];
    if (min > max) throw bad(option, value, 'a range whose first value is not above the second');
    return [min, max];
  }
  if (parts.length !== 1) throw bad(option, value, expected);
  return read(value);
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

/**
 * An option whose value commander parses with `parse(flag, text)`; the flag's
 * long name goes into the messages. `defaultValue` is the typed default and
 * `defaultText` how help shows it.
 */
export function parsedOption<T>(
  flags: string,
  description: string,
  parse: (flag: string, text: string) => T,
  defaults?: { readonly value: T; readonly text?: string },
): Option {
  const option = new Option(flags, description);
  option.argParser((text: string) => parse(option.long ?? option.name(), text));
  if (defaults !== undefined) option.default(defaults.value, defaults.text ?? String(defaults.value));
  return option;
}

/** A choice flag: commander refuses other values with `argument 'x' is invalid. Allowed choices are ...` (exit 2). */
export function choiceOption<T extends string>(flags: string, description: string, choices: readonly T[], defaultValue?: T): Option {
  const option = new Option(flags, description).choices(choices);
  return defaultValue === undefined ? option : option.default(defaultValue);
}

export const integerArg =
  (range?: IntegerRange) =>
  (flag: string, text: string): number =>
    parseInteger(flag, text, range);

export const durationArg =
  (range?: DurationRange) =>
  (flag: string, text: string): number =>
    parseDuration(flag, text, range);

export const percentArg = (flag: string, text: string): number => parsePercent(flag, text);

export const nameArg = (flag: string, text: string): string => parseName(flag, text);
