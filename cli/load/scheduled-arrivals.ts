import type { ModelContext } from './model-context.js';

/**
 * Sends `total` requests, request i when `dueMs(i)` (ms since the start, not
 * decreasing) has come, its latency counted from then, not from when it was
 * actually sent: a stalled server (or a late event loop) shows in the latency
 * instead of silently lowering the rate (coordinated-omission correction, as
 * in wrk2). A request due while `maxInFlight` are in flight is dropped and
 * counted. Resolves when every request sent has completed.
 */
export function runScheduledArrivals(total: number, dueMs: (index: number) => number, maxInFlight: number, context: ModelContext): Promise<void> {
  const startMs = context.now();
  return new Promise((resolve) => {
    let next = 0;
    let outstanding = 0;
    let schedulingDone = false;
    let timer: NodeJS.Timeout | undefined;

    const maybeResolve = (): void => {
      if (schedulingDone && outstanding === 0) resolve();
    };
    const onCompleted = (): void => {
      outstanding -= 1;
      maybeResolve();
    };
    const finishScheduling = (): void => {
      if (schedulingDone) return;
      schedulingDone = true;
      clearTimeout(timer);
      context.stopSignal.removeEventListener('abort', finishScheduling);
      maybeResolve();
    };
    const pump = (): void => {
      timer = undefined;
      if (context.isStopping()) {
        finishScheduling();
        return;
      }
      const elapsedMs = context.now() - startMs;
      while (next < total && dueMs(next) <= elapsedMs) {
        const index = next;
        next += 1;
        if (context.inFlight() >= maxInFlight) {
          context.recordDropped();
          continue;
        }
        outstanding += 1;
        context.send(index, startMs + dueMs(index), onCompleted);
      }
      if (next >= total) {
        finishScheduling();
        return;
      }
      timer = setTimeout(pump, Math.max(0, dueMs(next) - (context.now() - startMs)));
    };

    context.stopSignal.addEventListener('abort', finishScheduling, { once: true });
    pump();
  });
}
