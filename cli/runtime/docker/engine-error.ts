import { LabError } from '../../errors.js';

/** Socket-level failures that mean nothing answers at the endpoint. */
const UNREACHABLE_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ENOTSOCK',
]);

/** A request the engine answered with an error status (404 no such container, 409 conflict...). */
export class EngineError extends LabError {
  /** HTTP status of the engine's answer. */
  readonly statusCode: number;

  constructor(statusCode: number, message: string, options: { cause?: unknown } = {}) {
    super('LBLAB_ENGINE', message, options);
    this.name = 'EngineError';
    this.statusCode = statusCode;
  }
}

export function isEngineError(error: unknown, statusCode?: number): error is EngineError {
  return error instanceof EngineError && (statusCode === undefined || error.statusCode === statusCode);
}

/** The one message for "nothing answers": names the endpoint, the reason and the ways out. */
export function noEngineError(endpoint: string, reason: string, cause?: unknown): LabError {
  return new LabError(
    'LBLAB_NO_ENGINE',
    `no Docker engine at ${endpoint}: ${reason}. Start one (dockerd, or Docker Desktop), set DOCKER_HOST, or run without Docker: lblab up --runtime process`,
    { cause },
  );
}

interface ModemErrorShape {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly json?: unknown;
  readonly message?: unknown;
  readonly name?: unknown;
}

/** What the engine said, without docker-modem's "(HTTP code 404) no such container -" prefix. */
function engineMessage(error: ModemErrorShape): string {
  const json = error.json;
  if (json !== null && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim();
  }
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  return typeof error.message === 'string' ? error.message : String(error);
}

/** Whether an error means the engine cannot be reached at all (as opposed to an engine answer). */
export function isUnreachable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const shape = error as ModemErrorShape;
  if (typeof shape.statusCode === 'number') return false;
  return (typeof shape.code === 'string' && UNREACHABLE_CODES.has(shape.code)) || shape.name === 'AbortError' || shape.name === 'TimeoutError';
}

/** One short reason for a socket-level failure, e.g. `connect ENOENT /var/run/docker.sock`. */
export function unreachableReason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'no answer in time';
    return error.message;
  }
  return String(error);
}

/**
 * Turns whatever dockerode threw into a LabError: LBLAB_NO_ENGINE when the
 * endpoint does not answer, an EngineError (LBLAB_ENGINE, with the HTTP
 * status) when the engine refused, and LBLAB_ENGINE otherwise.
 */
export function toLabError(error: unknown, action: string, endpoint: string): LabError {
  if (error instanceof LabError) return error;
  if (isUnreachable(error)) return noEngineError(endpoint, unreachableReason(error), error);
  const shape = (error ?? {}) as ModemErrorShape;
  if (typeof shape.statusCode === 'number') {
    return new EngineError(shape.statusCode, `${action}: ${engineMessage(shape)}`, { cause: error });
  }
  return new LabError('LBLAB_ENGINE', `${action}: ${engineMessage(shape)}`, { cause: error });
}
