import type { RunAction } from '../report/run-summary.js';
import type { PreparedAction } from './apply-scenario-action.js';
import type { ScenarioAction } from './schema.js';

/** An action as the run recorded it: `atMs` is when it started, after the load started; `error` when it failed. */
export interface ActionRecord extends RunAction {
  readonly error?: string;
  /** Set when the action found nothing to do (kill of a stopped server): what it said. */
  readonly note?: string;
}

export interface ActionTimelineOptions {
  readonly actions: readonly ScenarioAction[];
  readonly prepare: (action: ScenarioAction) => Promise<PreparedAction>;
  /** Milliseconds since the load started. */
  readonly elapsedMs: () => number;
  readonly onStart?: (record: ActionRecord) => void;
  readonly onDone?: (record: ActionRecord) => void;
}

function fallbackTarget(action: ScenarioAction): string {
  switch (action.action) {
    case 'fault':
      return action.server;
    case 'algorithm':
      return action.algorithm;
    default:
      return action.servers.length > 0 ? action.servers.join(', ') : 'a new server';
  }
}

/**
 * Fires a scenario's actions at their times (timers, so the load never
 * waits for them). Actions run one at a time in time order: one that comes
 * due while the previous is still running (a revive waiting for the balancer)
 * starts when that one ends, and records the time it really started.
 */
export class ActionTimeline {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<ScenarioAction>();
  private chain: Promise<void> = Promise.resolve();
  private readonly recorded: ActionRecord[] = [];

  constructor(private readonly options: ActionTimelineOptions) {}

  /** Every action that ran or failed, in the order they started. */
  get records(): readonly ActionRecord[] {
    return this.recorded;
  }

  /** Starts the timers; call when the load starts. */
  start(): void {
    const order = [...this.options.actions].sort((a, b) => a.atMs - b.atMs);
    for (const action of order) {
      this.pending.add(action);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pending.delete(action);
        this.chain = this.chain.then(() => this.execute(action));
      }, Math.max(0, action.atMs - this.options.elapsedMs()));
      this.timers.add(timer);
    }
  }

  /** Cancels the actions that are not due yet and returns them. */
  cancelPending(): ScenarioAction[] {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const cancelled = [...this.pending];
    this.pending.clear();
    return cancelled;
  }

  /** Resolves true once the actions that fired have ended, or false after timeoutMs. */
  async settled(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.chain.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async execute(action: ScenarioAction): Promise<void> {
    const atMs = Math.max(0, Math.round(this.options.elapsedMs()));
    let record: ActionRecord = { atMs, action: action.action, target: fallbackTarget(action) };
    try {
      const prepared = await this.options.prepare(action);
      record = { atMs, action: prepared.action, target: prepared.target };
      this.options.onStart?.(record);
      const note = await prepared.run();
      if (typeof note === 'string') record = { ...record, note };
    } catch (error) {
      record = { ...record, error: error instanceof Error ? error.message : String(error) };
    }
    this.recorded.push(record);
    this.options.onDone?.(record);
  }
}
