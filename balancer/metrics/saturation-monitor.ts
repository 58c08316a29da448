// Measures the process's own event loop, so a balancer or a load generator
// can say when it, not the servers, was the bottleneck.
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { SaturationStats } from '../api-types.js';

/** Above either limit the figures of that window reflect lblab's own limits. */
export const SATURATION_LIMITS = { eventLoopUtilization: 0.9, eventLoopDelayP99Ms: 50 } as const;

export function isSaturated(eventLoopUtilization: number, eventLoopDelayP99Ms: number): boolean {
  return eventLoopUtilization > SATURATION_LIMITS.eventLoopUtilization || eventLoopDelayP99Ms > SATURATION_LIMITS.eventLoopDelayP99Ms;
}

/** The worst of several windows: the highest utilisation and delay, saturated if any window was. */
export function worstSaturation(windows: readonly SaturationStats[]): SaturationStats | undefined {
  if (windows.length === 0) return undefined;
  const eventLoopUtilization = Math.max(...windows.map((w) => w.eventLoopUtilization));
  const eventLoopDelayP99Ms = Math.max(...windows.map((w) => w.eventLoopDelayP99Ms));
  const windowMs = windows.reduce((sum, w) => sum + w.windowMs, 0);
  return { eventLoopUtilization, eventLoopDelayP99Ms, windowMs, saturated: windows.some((w) => w.saturated) };
}

export class SaturationMonitor {
  private readonly delay: IntervalHistogram;
  private lastUtilization: EventLoopUtilization;
  private lastAt: number;

  constructor(resolutionMs = 10) {
    this.delay = monitorEventLoopDelay({ resolution: resolutionMs });
    this.delay.enable();
    this.lastUtilization = performance.eventLoopUtilization();
    this.lastAt = performance.now();
  }

  /** The window since the previous call (or since start); starts the next window. */
  sample(): SaturationStats {
    const now = performance.now();
    const utilization = performance.eventLoopUtilization(this.lastUtilization);
    this.lastUtilization = performance.eventLoopUtilization();
    const eventLoopDelayP99Ms = this.delay.count === 0 ? 0 : this.delay.percentile(99) / 1e6;
    this.delay.reset();
    const windowMs = now - this.lastAt;
    this.lastAt = now;
    const eventLoopUtilization = utilization.utilization;
    return { eventLoopUtilization, eventLoopDelayP99Ms, windowMs, saturated: isSaturated(eventLoopUtilization, eventLoopDelayP99Ms) };
  }

  stop(): void {
    this.delay.disable();
  }
}
