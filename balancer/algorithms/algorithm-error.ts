import { ALGORITHM_NAMES } from './algorithm.js';

export type AlgorithmErrorCode = 'LBLAB_UNKNOWN_ALGORITHM' | 'LBLAB_BAD_ALGORITHM_OPTION';

/** An error from choosing or configuring an algorithm; callers match on `code`. */
export class AlgorithmError extends Error {
  readonly code: AlgorithmErrorCode;

  constructor(code: AlgorithmErrorCode, message: string) {
    super(message);
    this.name = 'AlgorithmError';
    this.code = code;
  }
}

/** `unknown algorithm "x"; algorithms: round-robin, weighted-round-robin, ...` with code LBLAB_UNKNOWN_ALGORITHM. */
export function unknownAlgorithmError(received: string): AlgorithmError {
  return new AlgorithmError(
    'LBLAB_UNKNOWN_ALGORITHM',
    `unknown algorithm "${received}"; algorithms: ${ALGORITHM_NAMES.join(', ')}`,
  );
}

/** `consistent-hash option "virtualNodes" must be an integer >= 1; received 0` with code LBLAB_BAD_ALGORITHM_OPTION. */
export function badOptionError(algorithm: string, option: string, expected: string, received: unknown): AlgorithmError {
  return new AlgorithmError(
    'LBLAB_BAD_ALGORITHM_OPTION',
    `${algorithm} option "${option}" must be ${expected}; received ${String(received)}`,
  );
}

export function isAlgorithmError(error: unknown): error is AlgorithmError {
  return error instanceof AlgorithmError;
}
