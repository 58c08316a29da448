import type { Histogram } from 'hdr-histogram-js';
import { createLatencyHistogram } from '../load/latency-histogram.js';
import type { LoadResult } from '../load/load-result.js';
import type { RequestLogEntry } from '../load/request-log.js';
import { sustainedSaturation } from '../load/sustained-saturation.js';
import { analyseFailover } from '../report/analysis/failover-analysis.js';
import { latencyDistribution, p999Ms } from '../report/analysis/latency-distribution.js';
import { analyseRemap, HASHING_ALGORITHMS } from '../report/analysis/remap-analysis.js';
import { buildTimeline } from '../report/analysis/timeline-buckets.js';
import { buildSummary } from '../report/summary.js';
import { passRow } from '../report/pass-row.js';
import type { RunBalancerDeath, RunConnections, RunHealthChange, RunLab, RunPhase, RunSummary } from '../report/run-summary.js';
import type { BalancerSaturationSample } from './balancer-watch.js';
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

/** What the scenario file says that the analyses need. */
export interface ScenarioFacts {
  /** Name and description of each phase, in order. */
  readonly phases?: readonly { readonly name: string; readonly description: string }[];
  /** The query parameter keys are spread over (for the remap meter). */
  readonly keyParam?: string;
  readonly fanout?: boolean;
  /** Faults set from the start, per server, as text. */
  readonly initialFaults?: Readonly<Record<string, string>>;
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
  readonly facts?: ScenarioFacts;
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

/** The requests of some segments, with times since `originMs` (on the run's clock). */
function entriesOf(segments: readonly LoadSegment[], originMs: number): () => Iterable<RequestLogEntry> {
  return function* entries() {
    for (const segment of segments) if (segment.log !== undefined) yield* segment.log.entries(segment.offsetMs - originMs);
  };
}

function mergedHistograms(segments: readonly LoadSegment[]): { overall: Histogram; byServer: Map<string, Histogram> } {
  if (segments.length === 1 && segments[0] !== undefined) {
    return { overall: segments[0].histograms.overall, byServer: new Map(segments[0].histograms.byServer) };
  }
  const overall = createLatencyHistogram();
  const byServer = new Map<string, Histogram>();
  for (const segment of segments) {
    overall.add(segment.histograms.overall);
    for (const [name, histogram] of segment.histograms.byServer) {
      let merged = byServer.get(name);
      if (merged === undefined) byServer.set(name, (merged = createLatencyHistogram()));
      merged.add(histogram);
    }
  }
  return { overall, byServer };
}

/** The summary with what only the request log and the histograms can tell: timeline, percentile distribution, p99.9, phases, failover, remap. */
function analysed(summary: RunSummary, segments: readonly LoadSegment[], originMs: number, input: ScenarioSummariesInput, algorithm: string): RunSummary {
  const facts = input.facts ?? {};
  const histograms = mergedHistograms(segments);
  const entries = entriesOf(segments, originMs);
  const hasLog = segments.some((segment) => segment.log !== undefined);
  const phases: RunPhase[] = segments.map((segment, index) => {
    const phase = facts.phases?.[index % Math.max(1, facts.phases.length)];
    const startMs = segment.offsetMs - originMs;
    return { name: phase?.name ?? `phase ${index + 1}`, description: phase?.description ?? '', startMs, endMs: startMs + segment.result.durationMs };
  });
  const servers = summary.servers.map((server) => {
    const histogram = histograms.byServer.get(server.name);
    return histogram === undefined || histogram.totalCount === 0 ? server : { ...server, p999Ms: Math.min(server.maxMs, p999Ms(histogram)) };
  });
  return {
    ...summary,
    servers,
    latency: { ...summary.latency, p999Ms: Math.min(summary.latency.maxMs, p999Ms(histograms.overall)) },
    ...(hasLog ? { timeline: buildTimeline(entries(), summary.durationMs, summary.totals.requests) } : {}),
    latencyDistribution: latencyDistribution(histograms.overall, histograms.byServer),
    phases,
    ...(facts.initialFaults !== undefined && Object.keys(facts.initialFaults).length > 0 ? { initialFaults: facts.initialFaults } : {}),
    ...(facts.fanout === true ? { fanout: true } : {}),
    ...(hasLog ? { failover: analyseFailover({ actions: summary.actions, healthChanges: summary.healthChanges, entries, durationMs: summary.durationMs }) } : {}),
    ...(hasLog && facts.keyParam !== undefined && HASHING_ALGORITHMS.has(algorithm)
      ? { remap: analyseRemap({ actions: summary.actions, servers: summary.lab.servers, keyParam: facts.keyParam, entries }) }
      : {}),
  };
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
  const full = analysed(summary, pass.segments, pass.offsetMs, input, pass.algorithm);
  return withPassDetails({ ...full, thresholds: evaluateThresholds(full, input.thresholds) }, pass);
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
  const algorithms = [...new Set(input.passes.map((pass) => pass.algorithm))];
  const wholeResult = mergeLoadSegments(segments);
  const built = buildSummary({
    result: wholeResult,
    scenario: input.scenario,
    seed: input.seed,
    lab: { ...input.lab, algorithm: algorithms.length === 1 ? first.algorithm : algorithms, servers: first.servers },
    startedAt: first.startedAt,
    actions,
    healthChanges: input.healthChanges,
  });
  const whole = analysed(
    { ...built, ...labLimits(input, wholeResult, first.offsetMs, Number.POSITIVE_INFINITY) },
    segments,
    segments[0]?.offsetMs ?? 0,
    input,
    first.algorithm,
  );
  if (input.passes.length === 1) {
    return { summary: withPassDetails({ ...whole, thresholds: evaluateThresholds(whole, input.thresholds) }, first), passes: [] };
  }

  const passes = input.passes.map((pass, index) => passSummary(input, pass, input.passes[index + 1]?.offsetMs ?? Number.POSITIVE_INFINITY));
  // Passes through different balancers are named by balancer, passes through different algorithms by algorithm.
  const byBalancer = new Set(input.passes.map((pass) => pass.balancer?.kind ?? 'lblab')).size > 1;
  const labelOf = (index: number): string => {
    const pass = input.passes[index];
    return byBalancer ? (pass?.balancer?.kind ?? 'lblab') : (passes[index]?.lab.pass ?? String(pass?.algorithm ?? ''));
  };
  const thresholds = passes.flatMap((pass, index) => pass.thresholds.map((threshold) => ({ ...threshold, name: `${labelOf(index)}: ${threshold.name}` })));
  // The whole run of several passes mixes algorithms: its remap and failover belong to the passes.
  const { remap: _remap, ...rest } = whole;
  return { summary: { ...rest, thresholds, passes: passes.map(passRow) }, passes };
}
