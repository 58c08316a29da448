import { LabError } from '../errors.js';

/** The clock a wait reads and sleeps on; tests inject a fake one. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WaitUntilOptions {
  readonly timeoutMs: number;
  /** Pause between checks (default 100). */
  readonly intervalMs?: number;
  /** Says what was awaited, for the timeout message. */
  readonly what: string;
  /** Errors for which this returns true end the wait at once (rethrown); the others count as "not yet". */
  readonly isFatal?: (error: unknown) => boolean;
  readonly clock?: WaitClock;
}

/** A wait that ran out of time; it carries the numbers and the last error a check threw. */
export class WaitTimeoutError extends LabError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly intervalMs: number,
    readonly attempts: number,
    readonly lastError?: unknown,
  ) {
    const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
    super('LBLAB_WAIT_TIMEOUT', `timed out after ${timeoutMs} ms (${attempts} checks, every ${intervalMs} ms) waiting for ${what}${reason}`, {
      cause: lastError,
    });
    this.name = 'WaitTimeoutError';
  }
}

/** A check may overrun the deadline by this much before it counts as failed. */
const CHECK_GRACE_MS = 1_000;

/**
 * `check`, failed after `limitMs`. The timer is a referenced one: a fetch
 * whose only timer is AbortSignal.timeout (unreferenced) to a port that
 * accepts and never answers (Docker's port proxy before the container
 * listens) would otherwise let the process exit with the wait unsettled.
 */
async function boundedCheck<T>(check: () => T | undefined | false | Promise<T | undefined | false>, limitMs: number): Promise<T | undefined | false> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([Promise.resolve(check()), limit]);
  } finally {
    clearTimeout(timer);
  }
}

export function isWaitTimeoutError(error: unknown): error is WaitTimeoutError {
  return error instanceof WaitTimeoutError;
}

/**
 * Polls `check` every intervalMs until it returns a value other than
 * undefined or false, and returns that value; throws WaitTimeoutError after
 * timeoutMs. Errors thrown by `check` count as "not yet" (the last one is
 * kept for the message) unless `isFatal` says otherwise. The check runs at
 * least once, and once more at the deadline.
 */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitUntilOptions,
): Promise<T> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = clock.now() + options.timeoutMs;
  let lastError: unknown;
  for (let attempts = 1; ; attempts++) {
    try {
      const value = await boundedCheck(check, Math.max(0, deadline - clock.now()) + CHECK_GRACE_MS);
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (options.isFatal?.(error) === true) throw error;
      lastError = error;
    }
    const leftMs = deadline - clock.now();
    if (leftMs <= 0) throw new WaitTimeoutError(options.what, options.timeoutMs, intervalMs, attempts, lastError);
    await clock.sleep(Math.min(intervalMs, leftMs));
  }
}

/** Like waitUntil, but resolves false instead of throwing when the time is up. */
export async function waitUntilOrFalse(check: () => boolean | Promise<boolean>, options: WaitUntilOptions): Promise<boolean> {
  try {
    return await waitUntil(check, options);
  } catch (error) {
    if (isWaitTimeoutError(error)) return false;
    throw error;
  }
}
