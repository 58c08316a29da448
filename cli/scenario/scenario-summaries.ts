import { buildSummary } from '../report/summary.js';
import type { RunHealthChange, RunLab, RunSummary } from '../report/run-summary.js';
import type { ActionRecord } from './action-timeline.js';
import type { BalancerIdentity } from '../balancers/balancer-kind.js';
import { mergeLoadSegments, type LoadSegment } from './merge-load-results.js';
import { evaluateThresholds, type ThresholdSpecs } from './thresholds.js';

/** What one pass of a run recorded (one pass per algorithm of `algorithms`; a plain run has one). */
export interface PassRecord {
  readonly algorithm: string;
  /** The balancer that ran the pass (absent: lblab). */
  readonly balancer?: BalancerIdentity;
  /** Servers in the lab when the pass started. */
  readonly servers: readonly string[];
  readonly startedAt: Date;
  /** When the pass's load started, since the run's load started. */
  readonly offsetMs: number;
  /** Its phases, with offsets since the run's load started. */
  readonly segments: readonly LoadSegment[];
  /** Its actions, with times since the pass's load started. */
  readonly actions: readonly ActionRecord[];
}

export interface ScenarioSummariesInput {
  readonly scenario: string;
  readonly seed: number;
  readonly lab: Omit<RunLab, 'algorithm' | 'servers'>;
  readonly passes: readonly PassRecord[];
  /** Algorithm switches between passes, with times since the run's load started. */
  readonly switches: readonly ActionRecord[];
  /** Health changes, with times since the run's load started. */
  readonly healthChanges: readonly RunHealthChange[];
  readonly thresholds: ThresholdSpecs;
}

export interface ScenarioSummaries {
  readonly summary: RunSummary;
  /** One per pass when there are several; empty for a single pass. */
  readonly passes: readonly RunSummary[];
}

function passSummary(input: ScenarioSummariesInput, pass: PassRecord, endOffsetMs: number): RunSummary {
  const healthChanges = input.healthChanges
    .filter((change) => change.atMs >= pass.offsetMs && change.atMs < endOffsetMs)
    .map((change) => ({ ...change, atMs: change.atMs - pass.offsetMs }));
  const summary = buildSummary({
    result: mergeLoadSegments(pass.segments),
    scenario: input.scenario,
    seed: input.seed,
    lab: { ...input.lab, algorithm: pass.algorithm, servers: pass.servers },
    startedAt: pass.startedAt,
    actions: pass.actions,
    healthChanges,
  });
  return { ...summary, thresholds: evaluateThresholds(summary, input.thresholds) };
}

/**
 * The run's summary (thresholds evaluated) and, for several passes, one
 * summary per pass; the run's thresholds are then the passes', named
 * `<algorithm>: <threshold>`. Pure.
 */
export function buildScenarioSummaries(input: ScenarioSummariesInput): ScenarioSummaries {
  const first = input.passes[0];
  if (first === undefined) throw new Error('buildScenarioSummaries needs at least one pass');
  const segments = input.passes.flatMap((pass) => pass.segments);
  const actions = [
    ...input.switches,
    ...input.passes.flatMap((pass) => pass.actions.map((action) => ({ ...action, atMs: action.atMs + pass.offsetMs }))),
  ];
  const whole = buildSummary({
    result: mergeLoadSegments(segments),
    scenario: input.scenario,
    seed: input.seed,
    lab: { ...input.lab, algorithm: input.passes.map((pass) => pass.algorithm).join(', '), servers: first.servers },
    startedAt: first.startedAt,
    actions,
    healthChanges: input.healthChanges,
  });
  if (input.passes.length === 1) return { summary: { ...whole, thresholds: evaluateThresholds(whole, input.thresholds) }, passes: [] };

  const passes = input.passes.map((pass, index) => passSummary(input, pass, input.passes[index + 1]?.offsetMs ?? Number.POSITIVE_INFINITY));
  // Passes through different balancers are named by balancer, passes through different algorithms by algorithm.
  const byBalancer = new Set(input.passes.map((pass) => pass.balancer?.kind ?? 'lblab')).size > 1;
  const labelOf = (index: number): string => {
    const pass = input.passes[index];
    return byBalancer ? (pass?.balancer?.kind ?? 'lblab') : (pass?.algorithm ?? '');
  };
  const thresholds = passes.flatMap((pass, index) => pass.thresholds.map((threshold) => ({ ...threshold, name: `${labelOf(index)}: ${threshold.name}` })));
  return { summary: { ...whole, thresholds }, passes };
}
