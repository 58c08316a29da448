export interface WaitUntilOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Says what was awaited, for the timeout message. */
  readonly what: string;
}

export class WaitTimeoutError extends Error {
  readonly code = 'LBLAB_WAIT_TIMEOUT';
  constructor(
    message: string,
    readonly lastError?: unknown,
  ) {
    super(message, lastError === undefined ? undefined : { cause: lastError });
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
async function boundedCheck<T>(check: () => Promise<T | undefined>, limitMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([check(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `check` until it returns a value other than undefined. Errors thrown
 * by `check` count as "not yet" and the last one is kept for the message.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitUntilOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await boundedCheck(check, Math.max(0, deadline - Date.now()) + CHECK_GRACE_MS);
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new WaitTimeoutError(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${reason}`, lastError);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
