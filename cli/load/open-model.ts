import type { OpenLoadModel } from './load-options.js';
import type { ModelContext } from './model-context.js';

/** Requests an open model schedules: `floor(ratePerSec * durationMs / 1000)`. */
export function scheduledRequests(model: OpenLoadModel): number {
  return Math.floor((model.ratePerSec * model.durationMs) / 1000 + 1e-9);
}

/**
 * Constant arrival rate: request i is due at t0 + i * 1000 / ratePerSec and
 * its latency counts from then, not from when it was actually sent, so a
 * stalled server (or a late event loop) shows in the latency instead of
 * silently lowering the rate (coordinated-omission correction, as in wrk2).
 * A request due while `maxInFlight` are in flight is dropped and counted.
 * Resolves when every request sent has completed.
 */
export function runOpenModel(model: Required<OpenLoadModel>, context: ModelContext): Promise<void> {
  const total = scheduledRequests(model);
  const intervalMs = 1000 / model.ratePerSec;
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
      while (next < total && next * intervalMs <= elapsedMs) {
        const intendedStartMs = startMs + next * intervalMs;
        const index = next;
        next += 1;
        if (context.inFlight() >= model.maxInFlight) {
          context.recordDropped();
          continue;
        }
        outstanding += 1;
        context.send(index, intendedStartMs, onCompleted);
      }
      if (next >= total) {
        finishScheduling();
        return;
      }
      timer = setTimeout(pump, Math.max(0, next * intervalMs - (context.now() - startMs)));
    };

    context.stopSignal.addEventListener('abort', finishScheduling, { once: true });
    pump();
  });
}
