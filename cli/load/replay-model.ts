import type { ReplayLoadModel } from './load-options.js';
import type { ModelContext } from './model-context.js';

/**
 * Recorded arrivals: request i is due at t0 + offsetsMs[i] / speed and its
 * latency counts from then (as in the open model). A request due while
 * `maxInFlight` are in flight is dropped and counted. Resolves when every
 * request sent has completed.
 */
export function runReplayModel(model: Required<ReplayLoadModel>, context: ModelContext): Promise<void> {
  const total = model.offsetsMs.length;
  const startMs = context.now();
  const dueMs = (index: number): number => (model.offsetsMs[index] ?? 0) / model.speed;
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
        if (context.inFlight() >= model.maxInFlight) {
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
