// Reports a frequent occurrence (a retry-budget refusal) at most once per
// window: the first at once, the ones after it together at the end of the
// window, with their count.

export interface CoalescedReporterOptions {
  readonly windowMs: number;
  /** Monotonic ms. */
  readonly now: () => number;
  /** `count` occurrences; `detail` describes the last one. */
  readonly report: (count: number, detail: string) => void;
}

export class CoalescedReporter {
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private pending = 0;
  private lastDetail = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoalescedReporterOptions) {}

  add(detail: string): void {
    const now = this.options.now();
    if (this.pending === 0 && now - this.lastReportAt >= this.options.windowMs) {
      this.lastReportAt = now;
      this.options.report(1, detail);
      return;
    }
    this.pending++;
    this.lastDetail = detail;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, this.lastReportAt + this.options.windowMs - now));
      this.timer.unref();
    }
  }

  /** Reports what is pending now (on close). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === 0) return;
    const count = this.pending;
    this.pending = 0;
    this.lastReportAt = this.options.now();
    this.options.report(count, this.lastDetail);
  }
}
