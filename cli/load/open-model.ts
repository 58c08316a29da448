import type { OpenLoadModel } from './load-options.js';
import type { ModelContext } from './model-context.js';
import { runScheduledArrivals } from './scheduled-arrivals.js';

/** Requests an open model schedules: `floor(ratePerSec * durationMs / 1000)`. */
export function scheduledRequests(model: OpenLoadModel): number {
  return Math.floor((model.ratePerSec * model.durationMs) / 1000 + 1e-9);
}

/** Constant arrival rate: request i is due at t0 + i * 1000 / ratePerSec (see runScheduledArrivals). */
export function runOpenModel(model: Required<OpenLoadModel>, context: ModelContext): Promise<void> {
  const intervalMs = 1000 / model.ratePerSec;
  return runScheduledArrivals(scheduledRequests(model), (index) => index * intervalMs, model.maxInFlight, context);
}
