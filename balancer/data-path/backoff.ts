// Exponential backoff with full jitter (as in the AWS architecture blog and
// Envoy): the n-th wait is drawn uniformly from [0, min(cap, base * 2^n)).

/** Longest wait allowed before attempt `index` (0 for the first wait): min(capMs, baseMs * 2^index). */
export function backoffCeilingMs(baseMs: number, capMs: number, index: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(index, 30));
}

/** A full-jitter wait in whole milliseconds, from the injected random source. */
export function fullJitterMs(random: () => number, baseMs: number, capMs: number, index: number): number {
  return Math.floor(random() * backoffCeilingMs(baseMs, capMs, index));
}

/** At most this many re-arms when a timer fires early by the clock (timers have millisecond granularity). */
const MAX_REARMS = 5;

/**
 * Calls `done` once at least `waitMs` have passed on `now` (a real wait:
 * a timer, re-armed for the rest when it fires early). Returns the timer
 * handle holder, so the caller can cancel it.
 */
export function waitAtLeast(waitMs: number, now: () => number, done: () => void): { cancel(): void } {
  const until = now() + waitMs;
  let rearms = 0;
  let timer: NodeJS.Timeout;
  const check = (): void => {
    const leftMs = until - now();
    if (leftMs > 0 && rearms < MAX_REARMS) {
      rearms++;
      timer = setTimeout(check, Math.ceil(leftMs));
      return;
    }
    done();
  };
  timer = setTimeout(check, waitMs);
  return { cancel: () => clearTimeout(timer) };
}
