import type { LoadTick } from '../load/types.js';
import type { RunHealthChange, RunSummary } from '../report/run-summary.js';
import type { ActionRecord } from './action-timeline.js';
import type { ScenarioLab } from './scenario-lab.js';

/** Where a run is: which pass (one per algorithm of `algorithms`, else one) and which phase. */
export interface ScenarioPhaseInfo {
  /** 0-based. */
  readonly passIndex: number;
  readonly passCount: number;
  /** The algorithm of this pass. */
  readonly algorithm: string;
  /** 0-based, within the pass. */
  readonly phaseIndex: number;
  readonly phaseCount: number;
  readonly name: string;
  /** e.g. `open: 200 req/s of GET /home for 12s`. */
  readonly description: string;
  /** When the phase's load started, since the run's load started. */
  readonly offsetMs: number;
  /** Requests the phase will send at most. */
  readonly scheduled: number;
}

/**
 * What a scenario run emits while it runs; the plain progress printer and the
 * live dashboard consume these. Every time is in milliseconds since the run's
 * load started.
 */
export interface ScenarioRunEvents {
  /** Progress notes: the lab coming up, the runtime chosen, teardown. */
  log: [line: string];
  /** Something the user should know that does not fail the run (an action that never came due). */
  warning: [line: string];
  /** The lab is ready (started or reused). */
  lab: [lab: ScenarioLab];
  /** A phase's load started. */
  phase: [phase: ScenarioPhaseInfo];
  /** One second of load; `atMs` and the running totals count from the run's start. */
  tick: [tick: LoadTick, phase: ScenarioPhaseInfo];
  /** An action started. */
  action: [action: ActionRecord];
  /** An action ended; `error` is set when it failed. */
  'action-done': [action: ActionRecord];
  /** The balancer reported a health change. */
  health: [change: RunHealthChange];
  /** The load and the actions are over, the summary is built (thresholds evaluated) and will be written to resultsDir; teardown and writing come next. */
  summary: [summary: RunSummary, resultsDir: string];
}

export interface ScenarioRunResult {
  /** The whole run (all passes), as written to summary.json. */
  readonly summary: RunSummary;
  /** One summary per algorithm for a scenario with `algorithms`; empty otherwise. */
  readonly passes: readonly RunSummary[];
  readonly resultsDir: string;
  /** Files written, summary.json first. */
  readonly files: readonly string[];
  /** One line per failed threshold or failed action; empty when the run passed. */
  readonly failures: readonly string[];
  readonly warnings: readonly string[];
}
