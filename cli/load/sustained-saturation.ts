import type { SaturationStats } from '../../balancer/api-types.js';
import { SATURATION_LIMITS, worstSaturation } from '../../balancer/metrics/saturation-monitor.js';

/** Saturated windows in a row that make a run saturated. */
export const SUSTAINED_WINDOWS = 2;

/**
 * A run's verdict from its windows (about a second each), in time order.
 * One stalled window (code compiled on first use, a garbage collection,
 * another process taking the CPU) is not saturation: the run is saturated
 * when SUSTAINED_WINDOWS windows in a row were. A run too short for that is
 * judged on utilisation alone, which is an average over its window, not on
 * the delay's p99, which one stall decides.
 * The figures are those of the worst saturated stretch when saturated,
 * else of the worst window. Pure.
 */
export function sustainedSaturation(windows: readonly SaturationStats[]): SaturationStats | undefined {
  const worst = worstSaturation(windows);
  if (worst === undefined) return undefined;
  if (windows.length < SUSTAINED_WINDOWS) {
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
    if (stretch.length >= SUSTAINED_WINDOWS) inStretch.push(...stretch);
    stretch = [];
  }
  if (inStretch.length > 0) return { ...(worstSaturation(inStretch) ?? worst), windowMs: worst.windowMs, saturated: true };
  return { ...worst, saturated: false };
}
