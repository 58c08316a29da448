import type { RequestSlot } from './request-slot.js';

const SWEEPS_PER_TIMEOUT = 10;
const MAX_SWEEP_INTERVAL_MS = 250;

export interface SweepPlan {
  readonly intervalMs: number;
  /** A request times out on the first sweep that finds it idle for more sweeps than this. */
  readonly idleSweepLimit: number;
}

/**
 * Sweep interval for a timeout: timeoutMs / 10, between 1 and 250 ms. A request
 * idle for timeoutMs times out within (timeoutMs, timeoutMs + 2 intervals]:
 * never early, at most 20 % or 500 ms late.
 */
export function sweepPlan(timeoutMs: number): SweepPlan {
  const intervalMs = Math.max(1, Math.min(MAX_SWEEP_INTERVAL_MS, Math.floor(timeoutMs / SWEEPS_PER_TIMEOUT)));
  return { intervalMs, idleSweepLimit: Math.ceil(timeoutMs / intervalMs) };
}

/**
 * Request timeouts of a run with one interval timer instead of a timer per
 * request: every interval it sweeps the run's slots (as many as requests were
 * ever in flight at once), and each slot counts how long it has been idle.
 */
export class TimeoutSweeper {
  private readonly slots: readonly RequestSlot[];
  private readonly timeoutMs: number;
  private readonly plan: SweepPlan;
  private timer: NodeJS.Timeout | undefined;

  constructor(slots: readonly RequestSlot[], timeoutMs: number) {
    this.slots = slots;
    this.timeoutMs = timeoutMs;
    this.plan = sweepPlan(timeoutMs);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sweep(), this.plan.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private sweep(): void {
    const { slots, timeoutMs } = this;
    const limit = this.plan.idleSweepLimit;
    // A slot that times out may be reused at once by the next request, whose idle count starts at 0; slots added meanwhile are swept too.
    for (let i = 0; i < slots.length; i++) slots[i]!.sweep(limit, timeoutMs);
  }
}
