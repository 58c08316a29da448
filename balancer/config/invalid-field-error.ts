export const INVALID_FIELD_CODE = 'LBLAB_INVALID_FIELD';

/**
 * A config field or admin request field with a wrong value. The message names
 * the field, the value received and what was expected:
 * `config.health.intervalMs must be a positive integer, got "x"`.
 */
export class InvalidFieldError extends Error {
  readonly code = INVALID_FIELD_CODE;

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidFieldError';
  }
}

export function isInvalidFieldError(error: unknown): error is InvalidFieldError {
  return error instanceof InvalidFieldError;
}
