/** Stable code that callers and tests match on. */
export type SampleServerErrorCode = 'LBLAB_BAD_INPUT';

/**
 * Bad input to the sample server (a flag, an env variable, a fault field).
 * The message names the input, the value received and what was expected.
 */
export class SampleServerError extends Error {
  readonly code: SampleServerErrorCode;
  /** The flag, env variable or field at fault, e.g. `--port` or `errorRate`. */
  readonly field: string;

  constructor(code: SampleServerErrorCode, field: string, message: string) {
    super(message);
    this.name = 'SampleServerError';
    this.code = code;
    this.field = field;
  }
}

export function isSampleServerError(error: unknown): error is SampleServerError {
  return error instanceof SampleServerError;
}

/** Short, unambiguous rendering of a received value for messages: `"abc"`, `1.5`, `[1,2]`. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `Invalid --port "abc": expected an integer from 0 to 65535` */
export function invalidValue(field: string, value: unknown, expected: string): SampleServerError {
  return new SampleServerError('LBLAB_BAD_INPUT', field, `Invalid ${field} ${showValue(value)}: expected ${expected}`);
}
