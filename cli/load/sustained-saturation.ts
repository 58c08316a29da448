import type { SaturationStats } from '../../balancer/api-types.js';
import { SATURATION_LIMITS, worstSaturation } from '../../balancer/metrics/saturation-monitor.js';

/** How long saturated windows in a row must last for a run to be saturated: more than one one-second window. */
export const SUSTAINED_MS = 1_500;

/**
 * A run's verdict from its windows (about a second each), in time order.
 * One stalled window (code compiled on first use, a garbage collection,
 * another process taking the CPU) is not saturation: the run is saturated
 * when saturated windows in a row last SUSTAINED_MS or more. A run too short
 * for that is judged on utilisation alone, which is an average over its
 * window, not on the delay's p99, which one stall decides. The figures are
 * those of the saturated stretch when saturated, else of the worst window. Pure.
 */
export function sustainedSaturation(windows: readonly SaturationStats[]): SaturationStats | undefined {
  const worst = worstSaturation(windows);
  if (worst === undefined) return undefined;
  if (worst.windowMs < SUSTAINED_MS) {
    const busy = windows.filter((w) => w.eventLoopUtilization > SATURATION_LIMITS.eventLoopUtilization);
    return busy.length > 0 ? { ...(worstSaturation(busy) ?? worst), windowMs: worst.windowMs, saturated: true } : { ...worst, saturated: false };
  }
  const inStretch: SaturationStats[] = [];
  let stretch: SaturationStats[] = [];
  for (const window of [...windows, undefined]) {
    if (window?.saturated === true) {
      stretch.push(window);
      continue;
    }
    if (stretch.reduce((sum, w) => sum + w.windowMs, 0) >= SUSTAINED_MS) inStretch.push(...stretch);
    stretch = [];
  }
  if (inStretch.length > 0) return { ...(worstSaturation(inStretch) ?? worst), windowMs: worst.windowMs, saturated: true };
  return { ...worst, saturated: false };
}
