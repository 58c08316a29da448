import type { ReplayLoadModel } from './load-options.js';
import type { ModelContext } from './model-context.js';
import { runScheduledArrivals } from './scheduled-arrivals.js';

/** Recorded arrivals: request i is due at t0 + offsetsMs[i] / speed (see runScheduledArrivals). */
export function runReplayModel(model: Required<ReplayLoadModel>, context: ModelContext): Promise<void> {
  const dueMs = (index: number): number => (model.offsetsMs[index] ?? 0) / model.speed;
  return runScheduledArrivals(model.offsetsMs.length, dueMs, model.maxInFlight, context);
}
