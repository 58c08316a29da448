import { performance } from 'node:perf_hooks';
import type { SaturationStats } from '../../balancer/api-types.js';
import { SaturationMonitor } from '../../balancer/metrics/saturation-monitor.js';
import { sustainedSaturation } from './sustained-saturation.js';

/** Long enough that one late timer or one garbage collection does not pass for saturation. */
export const SATURATION_WINDOW_MS = 1_000;
/** A last window shorter than this is dropped: utilisation measured over a few ms, from inside a callback, reads near 1. */
const MIN_LAST_WINDOW_MS = 250;

/**
 * The load generator's own event loop over a run, in windows of about a
 * second on its own timer (not the ticks, whose timers may fire late and
 * close to each other).
 */
export class GeneratorSaturation {
  private readonly monitor = new SaturationMonitor();
  private readonly windows: SaturationStats[] = [];
  private readonly timer: NodeJS.Timeout;
  private lastAtMs = performance.now();

  constructor(windowMs = SATURATION_WINDOW_MS) {
    this.timer = setInterval(() => this.sample(), windowMs);
    this.timer.unref();
  }

  /** The latest full window, if any. */
  get latest(): SaturationStats | undefined {
    return this.windows.at(-1);
  }

  /**
   * Stops measuring; the run's verdict (see sustainedSaturation). The first
   * window holds the process's own start-up (code compiled on first use,
   * connections opened), a one-off stall rather than a load it cannot
   * carry: it is judged only when it is the only one.
   */
  finish(): SaturationStats | undefined {
    clearInterval(this.timer);
    if (this.windows.length === 0 || performance.now() - this.lastAtMs >= MIN_LAST_WINDOW_MS) this.sample();
    this.monitor.stop();
    return sustainedSaturation(this.windows.length > 1 ? this.windows.slice(1) : this.windows);
  }

  private sample(): void {
    this.lastAtMs = performance.now();
    this.windows.push(this.monitor.sample());
  }
}
