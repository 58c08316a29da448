import type { ClosedLoadModel } from './load-options.js';
import type { ModelContext } from './model-context.js';

/**
 * `concurrency` workers, each sending its next request when the previous one
 * is answered, until `requests` were sent or the run stops. Resolves when
 * every request sent has completed.
 */
export async function runClosedModel(model: ClosedLoadModel, context: ModelContext): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < model.requests && !context.isStopping()) {
      const index = next;
      next += 1;
      await context.send(index, undefined);
    }
  };
  const workers = Math.min(model.concurrency, model.requests);
  await Promise.all(Array.from({ length: workers }, worker));
}
