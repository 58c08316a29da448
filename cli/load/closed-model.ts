import type { ClosedLoadModel } from './load-options.js';
import type { ModelContext } from './model-context.js';

/**
 * `concurrency` workers, each sending its next request when the previous one
 * is answered, until `requests` were sent or the run stops. Resolves when
 * every request sent has completed.
 *
 * A worker is not an object: each completion sends the next request at once,
 * timed from the end of the previous one (the same instant, no second clock read).
 */
export function runClosedModel(model: ClosedLoadModel, context: ModelContext): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let inFlight = 0;
    const sendNext = (startMs: number): void => {
      const index = next;
      next += 1;
      inFlight += 1;
      context.send(index, startMs, onCompleted);
    };
    const onCompleted = (endMs: number): void => {
      inFlight -= 1;
      if (next < model.requests && !context.isStopping()) sendNext(endMs);
      else if (inFlight === 0) resolve();
    };
    const workers = Math.min(model.concurrency, model.requests);
    for (let worker = 0; worker < workers && !context.isStopping(); worker++) sendNext(context.now());
    if (inFlight === 0) resolve();
  });
}
