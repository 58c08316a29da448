/** Stable codes that callers and tests match on. */
export type LabErrorCode =
  | 'LBLAB_BAD_INPUT'
  | 'LBLAB_UNKNOWN_SERVER'
  | 'LBLAB_LAB_NOT_UP'
  | 'LBLAB_LAB_ALREADY_UP'
  | 'LBLAB_PORT_IN_USE'
  | 'LBLAB_NOT_READY'
  | 'LBLAB_WAIT_TIMEOUT'
  | 'LBLAB_NO_ENGINE'
  | 'LBLAB_ENGINE'
  | 'LBLAB_NOT_SWARM_MANAGER'
  | 'LBLAB_SWARM_IMAGES'
  | 'LBLAB_UNSUPPORTED'
  | 'LBLAB_ADMIN'
  | 'LBLAB_SCENARIO'
  | 'LBLAB_THRESHOLD'
  | 'LBLAB_INTERRUPTED'
  | 'LBLAB_BALANCER_DIED';

/** Usage errors: the input was wrong (a flag, a name, a scenario file), so the exit code is 2, as for commander's own. */
export const USAGE_ERROR_CODES: ReadonlySet<LabErrorCode> = new Set(['LBLAB_BAD_INPUT', 'LBLAB_UNKNOWN_SERVER', 'LBLAB_SCENARIO']);

/**
 * An error meant for the user: the message names the thing, the value and
 * what was expected. The CLI prints only the message unless DEBUG is set.
 */
export class LabError extends Error {
  readonly code: LabErrorCode;
  /** Exit code the CLI uses for this error: 2 for usage errors, else 1, unless given. */
  readonly exitCode: number;

  constructor(code: LabErrorCode, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.exitCode = options.exitCode ?? (USAGE_ERROR_CODES.has(code) ? 2 : 1);
  }
}

export function isLabError(error: unknown): error is LabError {
  return error instanceof LabError;
}

/** ` --lab <lab>`, or nothing for the default lab: what a fix command needs to name the same lab. */
export function labFlag(lab: string): string {
  return lab === 'lblab' ? '' : ` --lab ${lab}`;
}

/** `message`, then the command that fixes it, last, so it can be copied: `lab "x" is not up. Start it: lblab up --lab x`. */
export function withFix(message: string, how: string, command: string): string {
  return `${message}. ${how}: ${command}`;
}
