import { sustainedSaturation } from '../load/sustained-saturation.js';
import type { LoadResult } from '../load/load-result.js';
import { buildSummary } from '../report/summary.js';
import type { RunBalancerDeath, RunConnections, RunHealthChange, RunLab, RunSummary } from '../report/run-summary.js';
import type { BalancerSaturationSample } from './balancer-watch.js';
import type { ActionRecord } from './action-timeline.js';
import { mergeLoadSegments, type LoadSegment } from './merge-load-results.js';
import { evaluateThresholds, type ThresholdSpecs } from './thresholds.js';

/** What one pass of a run recorded (one pass per algorithm of `algorithms`; a plain run has one). */
export interface PassRecord {
  readonly algorithm: string;
  /** Servers in the lab when the pass started. */
  readonly servers: readonly string[];
  readonly startedAt: Date;
  /** When the pass's load started, since the run's load started. */
  readonly offsetMs: number;
  /** Its phases, with offsets since the run's load started. */
  readonly segments: readonly LoadSegment[];
  /** Its actions, with times since the pass's load started. */
  readonly actions: readonly ActionRecord[];
  /** Set for a pass of scenario `passes` (its own lab): its name, the balancer's mode, the load's connection policy. */
  readonly label?: string;
  readonly mode?: 'http' | 'tcp';
  readonly connection?: 'keep-alive' | 'new';
  /** Tcp mode: connections the balancer relayed during the pass. */
  readonly connections?: RunConnections;
}

/** The pass's name, mode and connection policy on its summary's lab, and its relayed connections. */
function withPassDetails(summary: RunSummary, pass: PassRecord): RunSummary {
  return {
    ...summary,
    lab: {
      ...summary.lab,
      ...(pass.label === undefined ? {} : { pass: pass.label }),
      ...(pass.mode === undefined ? {} : { mode: pass.mode }),
      ...(pass.connection === undefined ? {} : { connection: pass.connection }),
    },
    ...(pass.connections === undefined ? {} : { connections: pass.connections }),
  };
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
  /** The balancer's /stats saturation windows, with times since the run's load started (none from balancers that do not report it). */
  readonly balancerSaturation?: readonly BalancerSaturationSample[];
  /** Set when the balancer died during the run, with its time since the run's load started. */
  readonly balancerDied?: RunBalancerDeath;
}

/** The run's (or a pass's) saturation and death fields: the verdicts on the windows between fromMs and toMs, a death in that span. */
function labLimits(
  input: ScenarioSummariesInput,
  result: LoadResult,
  fromMs: number,
  toMs: number,
): Pick<RunSummary, 'saturation' | 'balancerDied'> {
  const windows = (input.balancerSaturation ?? []).filter((sample) => sample.atMs >= fromMs && sample.atMs < toMs).map((sample) => sample.stats);
  const died = input.balancerDied;
  return {
    ...(result.saturation === undefined ? {} : { saturation: { generator: result.saturation, balancer: sustainedSaturation(windows) ?? null } }),
    ...(died === undefined || died.atMs < fromMs || died.atMs >= toMs ? {} : { balancerDied: { ...died, atMs: died.atMs - fromMs } }),
  };
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
  const result = mergeLoadSegments(pass.segments);
  const built = buildSummary({
    result,
    scenario: input.scenario,
    seed: input.seed,
    lab: { ...input.lab, algorithm: pass.algorithm, servers: pass.servers },
    startedAt: pass.startedAt,
    actions: pass.actions,
    healthChanges,
  });
  const summary = { ...built, ...labLimits(input, result, pass.offsetMs, endOffsetMs) };
  return withPassDetails({ ...summary, thresholds: evaluateThresholds(summary, input.thresholds) }, pass);
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
  const wholeResult = mergeLoadSegments(segments);
  const wholeBuilt = buildSummary({
    result: wholeResult,
    scenario: input.scenario,
    seed: input.seed,
    lab: { ...input.lab, algorithm: [...new Set(input.passes.map((pass) => pass.algorithm))].join(', '), servers: first.servers },
    startedAt: first.startedAt,
    actions,
    healthChanges: input.healthChanges,
  });
  const whole = { ...wholeBuilt, ...labLimits(input, wholeResult, first.offsetMs, Number.POSITIVE_INFINITY) };
  if (input.passes.length === 1) {
    return { summary: withPassDetails({ ...whole, thresholds: evaluateThresholds(whole, input.thresholds) }, first), passes: [] };
  }

  const passes = input.passes.map((pass, index) => passSummary(input, pass, input.passes[index + 1]?.offsetMs ?? Number.POSITIVE_INFINITY));
  const thresholds = passes.flatMap((pass) =>
    pass.thresholds.map((threshold) => ({ ...threshold, name: `${pass.lab.pass ?? pass.lab.algorithm}: ${threshold.name}` })),
  );
  return { summary: { ...whole, thresholds }, passes };
}
