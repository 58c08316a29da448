import type { LoadTick } from '../load/types.js';
import { appendBounded } from './bounded.js';
import { emptyDashboardState, type DashboardSource, type DashboardState, type EventTone, type RunProgress, type RunSummary } from './dashboard-state.js';
import type { LabFeed } from './lab-feed.js';
import { applyProgress, applySummary, applyTick, initialRunState, overlayRun, type RunTrackerState } from './run-tracker.js';

const MAX_EVENTS = 50;

/**
 * The dashboard's source during a run: the lab feed (when there is a lab)
 * with the run's ticks, progress and summary laid over it. Snapshots are
 * cached until something changes.
 */
export class RunStore implements DashboardSource {
  private run: RunTrackerState;
  private cached: DashboardState | undefined;
  private labState: DashboardState | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribeFeed: (() => void) | undefined;
  private standalone: DashboardState;

  constructor(
    scenario: string,
    private readonly feed: LabFeed | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.run = initialRunState(scenario);
    this.standalone = emptyDashboardState(now());
    this.unsubscribeFeed = feed?.subscribe(() => this.changed());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): DashboardState => {
    const labState = this.feed?.snapshot();
    if (this.cached === undefined || labState !== this.labState) {
      this.labState = labState;
      this.cached = overlayRun(labState ?? { ...this.standalone, nowMs: this.now() }, this.run, this.now());
    }
    return this.cached;
  };

  note(text: string, tone: EventTone = 'action', detail?: string): void {
    if (this.feed !== undefined) {
      this.feed.note(text, tone, detail);
      return;
    }
    const line = { atMs: this.now(), text, tone, ...(detail === undefined ? {} : { detail }) };
    this.standalone = { ...this.standalone, events: appendBounded(this.standalone.events, line, MAX_EVENTS) };
    this.changed();
  }

  refresh(): void {
    this.feed?.refresh();
  }

  tick(tick: LoadTick): void {
    this.run = applyTick(this.run, tick);
    this.changed();
  }

  progress(progress: RunProgress): void {
    this.run = applyProgress(this.run, progress);
    this.changed();
  }

  summary(summary: RunSummary, resultsDir: string | undefined): void {
    this.run = applySummary(this.run, summary, resultsDir);
    this.changed();
  }

  get finished(): boolean {
    return this.run.view.summary !== undefined;
  }

  close(): void {
    this.unsubscribeFeed?.();
  }

  private changed(): void {
    this.cached = undefined;
    for (const listener of [...this.listeners]) listener();
  }
}
