import { performance } from 'node:perf_hooks';
import type { BalancerStats, SaturationStats } from '../../balancer/api-types.js';
import type { MemberState } from '../runtime/runtime.js';

/** The balancer died during a run. */
export interface BalancerDeath {
  /** When it was first seen failing, on the caller's clock (ms since the load started). */
  readonly atMs: number;
  readonly reason: string;
}

function sameWindow(a: SaturationStats, b: SaturationStats): boolean {
  return a.windowMs === b.windowMs && a.eventLoopUtilization === b.eventLoopUtilization && a.eventLoopDelayP99Ms === b.eventLoopDelayP99Ms;
}

/** One /stats saturation window of the balancer, `atMs` on the caller's clock when it was read. */
export interface BalancerSaturationSample {
  readonly atMs: number;
  readonly stats: SaturationStats;
}

export interface BalancerWatchOptions {
  /** Liveness: any HTTP answer from GET <adminUrl>/health counts as alive. */
  readonly adminUrl: string;
  /** GET /stats through the lab's admin client; its failures alone do not count as death. */
  readonly stats: () => Promise<{ readonly saturation?: SaturationStats }>;
  /** The runtime's view of the balancer member, with its exit code when it knows it; undefined when it has none. */
  readonly memberState: () => Promise<{ readonly state: MemberState; readonly exitCode?: number } | undefined>;
  /** The caller's clock: ms since the load started (0 before). */
  readonly elapsedMs: () => number;
  readonly onDied: (death: BalancerDeath) => void;
  /** Liveness checks (GET /health); default 250 ms. */
  readonly pollIntervalMs?: number;
  /** Saturation samples (GET /stats); default 1 s. */
  readonly statsIntervalMs?: number;
  /** The admin API refusing (or the member paused) this long counts as dead; default 1 s. */
  readonly lostAfterMs?: number;
  /** A running member whose admin API does not answer at all this long counts as dead (shorter is a saturated balancer); default 5 s. */
  readonly silentAfterMs?: number;
  /** Recorded only while this is true (not during a warm-up); default always. */
  readonly recording?: () => boolean;
}

/**
 * Watches the balancer through a run: notices it died (its member exited, or
 * its admin API stopped answering for lostAfterMs), and samples the
 * saturation it reports in /stats (balancers that do not report it give no
 * samples).
 */
export class BalancerWatch {
  private readonly samples: BalancerSaturationSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** When the admin API was first seen failing: on the caller's clock, and on this process's. */
  private failingSinceMs: number | undefined;
  private failingSincePerfMs: number | undefined;
  private lastStatsAtMs = Number.NEGATIVE_INFINITY;
  private deathValue: BalancerDeath | undefined;
  private answeredStats = false;
  private statsInFlight = false;

  constructor(private readonly options: BalancerWatchOptions) {}

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  get death(): BalancerDeath | undefined {
    return this.deathValue;
  }

  /** The balancer's saturation windows read so far. */
  get saturation(): readonly BalancerSaturationSample[] {
    return this.samples;
  }

  /** Whether /stats answered at least once (with or without a saturation field). */
  get statsAnswered(): boolean {
    return this.answeredStats;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.deathValue !== undefined) return;
    this.timer = setTimeout(() => void this.check().finally(() => this.schedule(this.options.pollIntervalMs ?? 250)), delayMs);
  }

  private async check(): Promise<void> {
    const now = performance.now();
    if (!this.statsInFlight && now - this.lastStatsAtMs >= (this.options.statsIntervalMs ?? 1_000)) {
      this.lastStatsAtMs = now;
      this.statsInFlight = true;
      // Apart from the liveness check, so a slow /stats cannot delay noticing a death.
      void this.sampleStats().finally(() => (this.statsInFlight = false));
    }
    try {
      await fetch(`${this.options.adminUrl}/health`, { signal: AbortSignal.timeout(500) }).then((response) => response.arrayBuffer());
      this.failingSinceMs = undefined;
      this.failingSincePerfMs = undefined;
    } catch (error) {
      await this.onFailure(error as Error);
    }
  }

  private async sampleStats(): Promise<void> {
    try {
      const stats = await this.options.stats();
      const first = !this.answeredStats;
      this.answeredStats = true;
      // The first window read began before the watch did (the balancer's start, the lab coming up): not the run's.
      const window = stats.saturation;
      // A balancer reports its latest fixed window: the same one read twice is one window.
      const previous = this.samples.at(-1)?.stats;
      const repeated = previous !== undefined && window !== undefined && sameWindow(previous, window);
      if (!first && !repeated && !this.stopped && window !== undefined && (this.options.recording?.() ?? true)) {
        this.samples.push({ atMs: Math.round(this.options.elapsedMs()), stats: window });
      }
    } catch {
      // Liveness is judged by /health alone.
    }
  }

  private async onFailure(error: Error): Promise<void> {
    if (this.stopped) return;
    this.failingSinceMs ??= Math.round(this.options.elapsedMs());
    this.failingSincePerfMs ??= performance.now();
    const since = this.failingSinceMs;
    const timedOut = error.name === 'TimeoutError';
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (timedOut ? 'no answer within 500 ms' : error.message);
    const member = await this.options.memberState().catch(() => undefined);
    if (this.stopped) return;
    if (member !== undefined && member.state !== 'running' && member.state !== 'paused') {
      const exit = member.exitCode === undefined ? '' : ` (exit code ${member.exitCode})`;
      this.die({ atMs: since, reason: `the balancer ${member.state === 'missing' ? 'is gone' : 'exited'}${exit}` });
      return;
    }
    // A running balancer that is slow to answer is saturated, not dead: only a long silence counts.
    const slowNotDead = timedOut && member?.state === 'running';
    const limitMs = slowNotDead ? (this.options.silentAfterMs ?? 5_000) : (this.options.lostAfterMs ?? 1_000);
    if (performance.now() - this.failingSincePerfMs >= limitMs) {
      const state = member === undefined ? '' : member.state === 'paused' ? '; it is paused' : '; its process still runs';
      const what = slowNotDead ? `no answer for ${Math.round(limitMs / 1000)} s` : cause;
      this.die({ atMs: since, reason: `its admin API stopped answering: ${what}${state}` });
    }
  }

  private die(death: BalancerDeath): void {
    this.deathValue = death;
    clearTimeout(this.timer);
    this.options.onDied(death);
  }
}
