import { LabError } from '../../errors.js';

export interface EngineDeadlineOptions {
  /** What was asked of the engine, e.g. `inspect container 3f2a…`. */
  readonly action: string;
  readonly endpoint: string;
  /** Infinity: no deadline (a followed log stream). */
  readonly timeoutMs: number;
  /** Ends the wait at once with the signal's reason (e.g. a ping's own timeout). */
  readonly signal?: AbortSignal;
}

/**
 * The call's result, or a LBLAB_ENGINE error once timeoutMs has passed.
 * docker-modem never settles a call whose connection closes before the
 * response body ends (it waits for an 'end' that cannot come), and with the
 * socket gone nothing keeps Node's event loop alive: the CLI then died with
 * exit code 13 and no output. The timer here is a live handle until the call
 * settles, and it turns such a call into a clear error.
 */
export function withEngineDeadline<T>(work: Promise<T>, options: EngineDeadlineOptions): Promise<T> {
  const { action, endpoint, timeoutMs, signal } = options;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        reject(
          new LabError(
            'LBLAB_ENGINE',
            `the Docker engine at ${endpoint} did not finish "${action}" within ${timeoutMs} ms (no answer, or the connection closed mid-answer); check that \`docker info\` answers, then retry`,
          ),
        );
      }, timeoutMs);
    }
    if (signal !== undefined) {
      onAbort = () => reject(signal.reason);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  return Promise.race([work, deadline]).finally(() => {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  });
}
