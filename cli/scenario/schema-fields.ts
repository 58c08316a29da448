// Small zod building blocks for scenario files. Each field's error message is
// the phrase of what was expected ("a positive number"); the formatter turns
// it into `<file>:<line>: <path> must be <phrase>, got <value>`. Messages that
// are whole sentences carry SENTENCE in their params.
import * as z from 'zod';
import { parseComparison, type Comparison } from './comparison.js';
import { MAX_SCENARIO_DURATION_MS, parseDurationMs } from './duration.js';

/** Issue params of a message that reads as a sentence after the path ("is required ..."), not as an expected value. */
export const SENTENCE = { sentence: true } as const;

export function integer(min: number, max: number, phrase = `an integer from ${min} to ${max}`) {
  return z.int({ error: phrase }).min(min, { error: phrase }).max(max, { error: phrase });
}

export function positiveNumber(max: number, phrase = 'a positive number') {
  return z.number({ error: phrase }).positive({ error: phrase }).max(max, { error: `a number up to ${max}` });
}

export function shareNumber(phrase = 'a number from 0 to 1') {
  return z.number({ error: phrase }).min(0, { error: phrase }).max(1, { error: phrase });
}

export function boolean() {
  return z.boolean({ error: 'true or false' });
}

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(', ')}` });
}

const DURATION_PHRASE = 'a duration like 3s, 500ms or 250 (milliseconds)';
const POSITIVE_DURATION_PHRASE = 'a duration above 0 like 3s, 500ms or 250 (milliseconds)';

function durationInRange(minMs: number, phrase: string) {
  return z
    .custom<number | string>((value) => {
      const ms = parseDurationMs(value);
      return ms !== undefined && ms >= minMs && ms <= MAX_SCENARIO_DURATION_MS;
    }, { error: phrase })
    .transform((value) => parseDurationMs(value) ?? 0);
}

/** `3s`, `500ms`, `250` (ms), `0`; parsed to whole milliseconds. */
export function duration() {
  return durationInRange(0, DURATION_PHRASE);
}

/** Like duration(), above 0. */
export function positiveDuration() {
  return durationInRange(1, POSITIVE_DURATION_PHRASE);
}

/** A threshold: a number (read with the metric's bare operator) or a comparison string like `"< 200"`. */
export function thresholdValue() {
  return z
    .custom<number | string>(
      (value) => (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && parseComparison(value) !== undefined),
      { error: 'a number or a comparison like "< 200" (<, <=, >, >=, ==)' },
    )
    .transform((value): number | Comparison => (typeof value === 'number' ? value : (parseComparison(value) as Comparison)));
}

export const SERVER_NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export function serverName() {
  const phrase = 'a server name like server2 (lowercase letters, digits, ".", "_" or "-")';
  return z.string({ error: phrase }).regex(SERVER_NAME_PATTERN, { error: phrase });
}

/** One server name or a list of them, read as a list. */
export function serverNames() {
  const phrase = 'a server name like server2, or a list of them';
  return z
    .custom<string | string[]>(
      (value) =>
        (typeof value === 'string' && SERVER_NAME_PATTERN.test(value)) ||
        (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && SERVER_NAME_PATTERN.test(item))),
      { error: phrase },
    )
    .transform((value) => (typeof value === 'string' ? [value] : value));
}

/** Added latency: a duration, or a range `[100ms, 300ms]`. */
export function latencySpec() {
  const phrase = 'a duration like 200ms, or a range like [100ms, 300ms]';
  const read = (value: unknown): number | [number, number] | undefined => {
    if (!Array.isArray(value)) return parseDurationMs(value);
    if (value.length !== 2) return undefined;
    const min = parseDurationMs(value[0]);
    const max = parseDurationMs(value[1]);
    return min === undefined || max === undefined || min > max ? undefined : [min, max];
  };
  return z.custom<unknown>((value) => read(value) !== undefined, { error: phrase }).transform((value) => read(value) ?? 0);
}

/** A mapping with exactly these fields; an unknown field's message lists the known ones. */
export function mapping<T extends z.ZodRawShape>(shape: T, phrase: string) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `known fields: ${fields}` : phrase) });
}

const PATH_PHRASE = 'a path starting with "/", without spaces or control characters';

/** A request path: starts with "/", no whitespace or control characters (a CR/LF would split the request). */
export function requestPath() {
  return z.string({ error: PATH_PHRASE }).regex(/^\/[^\s\p{Cc}]*$/u, { error: PATH_PHRASE });
}

const HEADER_NAME_PHRASE = 'an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~)';
const HEADER_VALUE_PHRASE = 'a header value without CR, LF or other control characters';

/** Request headers: token names; values without CR/LF (header injection) or any other control character but tab. */
export function requestHeaders() {
  const value = z
    .union([z.string(), z.number(), z.boolean()], { error: 'a text' })
    .transform((item) => String(item))
    .refine((text) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(text), { error: HEADER_VALUE_PHRASE });
  return z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: HEADER_NAME_PHRASE }), value, {
    error: 'a mapping of header names to values',
  });
}
