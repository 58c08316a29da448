import { LabError } from '../errors.js';

/** Exit code of a scenario that cannot be used (bad file, unknown name): a usage error. */
export const SCENARIO_ERROR_EXIT_CODE = 2;

/** A scenario that cannot be used; the message names the file (and line, where there is one). */
export function scenarioFileError(message: string, cause?: unknown): LabError {
  return new LabError('LBLAB_SCENARIO', message, { exitCode: SCENARIO_ERROR_EXIT_CODE, ...(cause === undefined ? {} : { cause }) });
}
