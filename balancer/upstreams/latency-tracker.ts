/** Samples kept for the p99: the most recent ones, in a ring (bounded memory). */
export const LATENCY_WINDOW = 1024;
/** Weight of a new sample in the moving average used by least-response-time. */
export const DEFAULT_EWMA_ALPHA = 0.2;

export interface LatencyTrackerOptions {
  readonly ewmaAlpha?: number;
}

/**
 * Response times of one server: an exponentially weighted moving average
 * (for least-response-time), the all-time average, and the p99 of the last
 * LATENCY_WINDOW samples.
 */
export class LatencyTracker {
  ewmaMs = 0;
  private count = 0;
  private sumMs = 0;
  private readonly ring = new Float64Array(LATENCY_WINDOW);
  private readonly alpha: number;

  constructor(options: LatencyTrackerOptions = {}) {
    this.alpha = options.ewmaAlpha ?? DEFAULT_EWMA_ALPHA;
  }

  record(latencyMs: number): void {
    this.ring[this.count % LATENCY_WINDOW] = latencyMs;
    this.count++;
    this.sumMs += latencyMs;
    this.ewmaMs = this.count === 1 ? latencyMs : this.ewmaMs + this.alpha * (latencyMs - this.ewmaMs);
  }

  get samples(): number {
    return this.count;
  }

  averageMs(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }

  /** Nearest-rank p99 of the recent window; 0 with no samples. */
  p99Ms(): number {
    const filled = Math.min(this.count, LATENCY_WINDOW);
    if (filled === 0) return 0;
    const sorted = this.ring.slice(0, filled).sort();
    return sorted[Math.ceil(filled * 0.99) - 1] ?? 0;
  }
}
