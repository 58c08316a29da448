// Checks for one field each; they throw InvalidFieldError with the field's
// path, the value received and what was expected. Numbers are checked against
// a limit of limits.ts (expectWithin), never only for being positive.
import { describeValue } from './describe-value.js';
import { describeLimit, withinLimit, type Limit } from './limits.js';
import { InvalidFieldError } from './invalid-field-error.js';

export function fail(field: string, expected: string, received: unknown): never {
  throw new InvalidFieldError(field, `${field} must be ${expected}, got ${describeValue(received)}`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(field: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) fail(field, 'an object', value);
  return value;
}

export function expectPort(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    fail(field, 'an integer from 0 to 65535', value);
  }
  return value;
}

export function expectBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(field, 'true or false', value);
  return value;
}

/** A number within `limit` (see limits.ts): `options.virtualNodes must be an integer from 1 to 1000, got 2000000000`. */
export function expectWithin(field: string, value: unknown, limit: Limit): number {
  if (!withinLimit(value, limit)) fail(field, describeLimit(limit), value);
  return value;
}

/** A non-empty string of at most `limit.max` characters. */
export function expectBoundedString(field: string, value: unknown, limit: Limit): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, `a non-empty string`, value);
  if (value.length > limit.max) throw new InvalidFieldError(field, `${field} must be at most ${limit.max} characters, got ${value.length}`);
  return value;
}

/** An array of at most `limit.max` items. */
export function expectBoundedArray(field: string, value: unknown, limit: Limit, expected: string): unknown[] {
  if (!Array.isArray(value)) fail(field, expected, value);
  if (value.length > limit.max) throw new InvalidFieldError(field, `${field} must have at most ${limit.max} items, got ${value.length}`);
  return value;
}

/** `value` as an object whose every key is one of `known`; a typo must not be ignored silently. */
export function expectKnownFields(field: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  const object = expectObject(field, value);
  const unknown = Object.keys(object).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new InvalidFieldError(unknown, `${describeValue(unknown)} is not a known field of the ${field}; fields: ${known.join(', ')}`);
  }
  return object;
}
