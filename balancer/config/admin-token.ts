// The lab's token, from the environment only (a command line is visible to
// every user of the machine in `ps`). Messages never repeat the token.
import { InvalidFieldError } from './invalid-field-error.js';
import { LIMITS } from './limits.js';

export const TOKEN_ENV = 'LBLAB_TOKEN';

const TOKEN_PATTERN = /^[\x21-\x7e]+$/;

/** Why `value` cannot be a token (`undefined` when it can): its length or its characters, never its text. */
export function adminTokenProblem(value: string): string | undefined {
  const { min, max } = LIMITS.adminTokenLength;
  if (value.length < min || value.length > max) {
    return `${TOKEN_ENV} must be ${min} to ${max} characters (${LIMITS.adminTokenLength.reason}), got ${value.length}`;
  }
  if (!TOKEN_PATTERN.test(value)) return `${TOKEN_ENV} must be printable ASCII without spaces (it goes in an HTTP header)`;
  return undefined;
}

/**
 * The token in `env.LBLAB_TOKEN`, or undefined when the variable is absent
 * (no authentication). Set but empty or malformed is an InvalidFieldError, so
 * a lab meant to be protected never starts open by mistake.
 */
export function readAdminToken(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[TOKEN_ENV];
  if (value === undefined) return undefined;
  const problem = adminTokenProblem(value);
  if (problem !== undefined) throw new InvalidFieldError(TOKEN_ENV, problem);
  return value;
}
