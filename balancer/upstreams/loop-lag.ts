// How late this process's own timers run. A health check that timed out
// while the balancer's event loop was stalled (a burst of connections, a long
// synchronous task) says nothing about the server: its answer may be sitting
// unread in the socket. A heartbeat adds up how much later than due each
// tick came, so a probe can ask how late the balancer was during its window.

/** Ticks less late than this are scheduling noise, not a stall. */
const NOISE_MS = 5;

export class LoopLag {
  private totalLateMs = 0;
  private lastTickAt: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly tickMs = 10,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastTickAt = now();
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  /** Lateness so far (stalls above the noise, the one in progress included), ms; subtract two readings for a window. */
  get lateMs(): number {
    const ongoing = this.now() - this.lastTickAt - this.tickMs;
    return this.totalLateMs + (ongoing > NOISE_MS ? ongoing : 0);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const at = this.now();
    const late = at - this.lastTickAt - this.tickMs;
    if (late > NOISE_MS) this.totalLateMs += late;
    this.lastTickAt = at;
  }
}
