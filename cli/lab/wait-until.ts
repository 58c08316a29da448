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

/**
 * Polls `check` until it returns a value other than undefined. Errors thrown
 * by `check` count as "not yet" and the last one is kept for the message.
 */
export async function waitUntil<T>(check: () => Promise<T | undefined>, options: WaitUntilOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
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
