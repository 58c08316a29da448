import { EventEmitter } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BalancerEvent } from '../../balancer/api-types.js';
import { LabError } from '../errors.js';
import { serverNames } from '../lab/open-lab.js';
import { runLoad } from '../load/run-load.js';
import { writeResults } from '../report/write-results.js';
import type { RunHealthChange } from '../report/run-summary.js';
import type { RuntimeChoice } from '../runtime/select-runtime.js';
import { ActionTimeline, type ActionRecord } from './action-timeline.js';
import { prepareScenarioAction } from './apply-scenario-action.js';
import { BalancerEventsClient } from '../lab/balancer-events-client.js';
import { BalancerWatch, type BalancerDeath, type BalancerSaturationSample } from './balancer-watch.js';
import { formatDurationMs } from './duration.js';
import { ZERO_TICK_BASE, shiftTick, type LoadSegment, type TickBase } from './merge-load-results.js';
import { describePhase, phaseLoadOptions } from './phase-load-options.js';
import { claimResultsDir, defaultResultsDir } from './results-dir.js';
import type { ScenarioPhaseInfo, ScenarioRunEvents, ScenarioRunResult } from './run-events.js';
import { acquireScenarioLab, initialAlgorithm, type ScenarioLab } from './scenario-lab.js';
import { buildScenarioSummaries, type PassRecord, type ScenarioSummaries } from './scenario-summaries.js';
import type { Scenario } from './schema.js';
import { failedThresholdLine } from './thresholds.js';
import { connectionsDuring, relayedConnections } from './relayed-connections.js';
import { labPasses, passFolderName, passScenario, type LabPass } from './scenario-passes.js';
import type { LabRecord } from '../lab/lab-record.js';
import { writeSplitResults } from '../report/split-results.js';

export const DEFAULT_SEED = 1;
/** How long the run waits, after the load, for actions still running (a revive waiting for health). */
const ACTION_SETTLE_TIMEOUT_MS = 45_000;
const ACTION_SETTLE_ON_ABORT_MS = 2_000;
/** Exit code of a run stopped by the user (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

export interface RunScenarioOptions {
  readonly scenario: Scenario;
  /** Lab name: the one to start, or with `reuse` the one to use. */
  readonly lab: string;
  readonly reuse?: boolean;
  /** Balancer data port (admin: port + 1) for a lab this run starts; default: a free pair. */
  readonly port?: number;
  /** Overrides the scenario's lab.runtime. */
  readonly runtime?: RuntimeChoice;
  /** Overrides the scenario's seed; default DEFAULT_SEED. Phase i sends its keys with seed + i. */
  readonly seed?: number;
  /** Results folder; default `<resultsRoot>/<yyyymmdd-hhmmss>-<scenario>`. */
  readonly outDir?: string;
  /** Default `results` (in the working folder). */
  readonly resultsRoot?: string;
  /** Aborting stops the load at once, tears down and rejects with exit code 130. */
  readonly signal?: AbortSignal;
}

/** The seed a run uses: the flag, else the scenario's, else DEFAULT_SEED. */
export function runSeed(scenario: Scenario, seed: number | undefined): number {
  return seed ?? scenario.seed ?? DEFAULT_SEED;
}

/**
 * One scenario run: brings up (or reuses) the lab, follows the balancer's
 * health events, runs the phases (once per algorithm of `algorithms`),
 * fires the actions at their times, tears down what it started, then writes
 * the results. Emits ScenarioRunEvents as it goes; `result` resolves with the
 * summaries, the results folder and the failures (thresholds, actions).
 */
export class ScenarioRun extends EventEmitter<ScenarioRunEvents> {
  readonly result: Promise<ScenarioRunResult>;
  private readonly warnings: string[] = [];
  private readonly healthChanges: RunHealthChange[] = [];
  private runStartPerfMs: number | undefined;
  private runStartEpochMs: number | undefined;
  private base: TickBase = ZERO_TICK_BASE;
  /** The balancer's death stops the load; its saturation windows go into the summary (one watch per lab). */
  private readonly balancerDeath = new AbortController();
  private death: BalancerDeath | undefined;
  private readonly balancerSamples: BalancerSaturationSample[] = [];

  /** Use runScenario(). */
  constructor(private readonly options: RunScenarioOptions) {
    super();
    this.result = new Promise<ScenarioRunResult>((resolve, reject) => {
      setImmediate(() => this.execute().then(resolve, reject));
    });
    this.result.catch(() => undefined);
  }

  private warn(line: string): void {
    this.warnings.push(line);
    this.emit('warning', line);
  }

  private elapsedRunMs(): number {
    return this.runStartPerfMs === undefined ? 0 : performance.now() - this.runStartPerfMs;
  }

  /** What stops a phase's load: the user's interruption, or the balancer's death. */
  private loadSignal(): AbortSignal {
    const { signal } = this.options;
    return signal === undefined ? this.balancerDeath.signal : AbortSignal.any([signal, this.balancerDeath.signal]);
  }

  private startBalancerWatch(lab: ScenarioLab): BalancerWatch {
    const { open } = lab;
    const watch = new BalancerWatch({
      adminUrl: open.admin.adminUrl,
      // Long: a saturated balancer answers late, and its windows then matter most.
      stats: () => open.admin.stats(5_000),
      memberState: async () => (await open.runtime.list(open.record.lab)).find((m) => m.role === 'balancer'),
      elapsedMs: () => this.elapsedRunMs(),
      recording: () => this.runStartPerfMs !== undefined,
      onDied: (death) => {
        this.death = death;
        this.warn(`the balancer died ${(death.atMs / 1000).toFixed(1)} s into the run (${death.reason}); stopping the load`);
        this.balancerDeath.abort();
      },
    });
    watch.start();
    return watch;
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted === true) {
      throw new LabError('LBLAB_SCENARIO', `run of ${this.options.scenario.name} interrupted; nothing was written`, { exitCode: INTERRUPTED_EXIT_CODE });
    }
  }

  private async execute(): Promise<ScenarioRunResult> {
    const { scenario } = this.options;
    const seed = runSeed(scenario, this.options.seed);
    this.throwIfAborted();
    const labPassList = labPasses(scenario);
    if (labPassList !== undefined && this.options.reuse === true) {
      throw new LabError('LBLAB_BAD_INPUT', `scenario ${scenario.name} has passes, each in a lab of its own; run it without --reuse`, { exitCode: 2 });
    }

    const switches: ActionRecord[] = [];
    const passes: PassRecord[] = [];
    let record: LabRecord | undefined;
    let lab: ScenarioLab | undefined;
    let summaries: ScenarioSummaries;
    let resultsDir: string;
    try {
      for (const pass of labPassList ?? [undefined]) {
        if (this.balancerDeath.signal.aborted) break;
        // A pass of `passes` has a lab of its own; the last one is torn down once the summary is out, as a single lab is.
        const previous = lab;
        lab = undefined;
        if (previous !== undefined) await this.releaseLab(previous);
        const passScenarioValue = pass === undefined ? scenario : passScenario(scenario, pass);
        lab = await this.acquireLab(passScenarioValue, pass);
        record = lab.open.record;
        passes.push(...(await this.runPasses(lab, seed, switches, passScenarioValue, pass)));
        this.throwIfAborted();
      }
      if (record === undefined) throw new Error('a scenario run needs at least one lab');
      const death = this.death;
      if (passes.length === 0 && death !== undefined) {
        throw new LabError('LBLAB_BALANCER_DIED', `the balancer died before the load started (${death.reason}); nothing was measured`);
      }
      const startedAt = passes[0]?.startedAt ?? new Date();
      summaries = buildScenarioSummaries({
        scenario: scenario.name,
        seed,
        lab: { app: record.app, runtime: record.runtime },
        passes,
        switches,
        healthChanges: this.healthChanges,
        thresholds: scenario.thresholds,
        balancerSaturation: this.balancerSamples,
        ...(this.death === undefined ? {} : { balancerDied: this.death }),
      });
      resultsDir =
        this.options.outDir ?? (await claimResultsDir(defaultResultsDir(scenario.name, startedAt, this.options.resultsRoot ?? 'results')));
      this.emit('summary', summaries.summary, resultsDir);
    } finally {
      if (lab !== undefined) await this.releaseLab(lab);
    }

    const { summary, passes: passSummaries } = summaries;
    const labels = passSummaries.map((pass) => pass.lab.pass ?? pass.lab.algorithm);
    const written = await writeResults(resultsDir, summary, passSummaries.length > 0 ? { comparison: { summaries: passSummaries, labels } } : {});
    const files = [...written.files];
    if (labPassList !== undefined && passSummaries.length > 0) files.push(...(await writeSplitResults(resultsDir, passSummaries)));
    for (const [index, pass] of passSummaries.entries()) {
      const passDir = path.join(resultsDir, 'passes', passFolderName(index, labels[index] ?? pass.lab.algorithm));
      files.push(...(await writeResults(passDir, pass)).files);
    }

    const died = summary.balancerDied;
    const failures = [
      ...(died === undefined ? [] : [`the balancer died ${(died.atMs / 1000).toFixed(1)} s into the run (${died.reason}); the results are partial`]),
      ...summary.thresholds.filter((threshold) => !threshold.pass).map(failedThresholdLine),
      ...summary.actions
        .filter((action): action is ActionRecord => (action as ActionRecord).error !== undefined)
        .map((action) => `action ${action.action} ${action.target} at ${formatDurationMs(action.atMs)} failed: ${action.error ?? ''}`),
    ];
    return { summary, passes: passSummaries, resultsDir, files, failures, warnings: [...this.warnings] };
  }

  private async releaseLab(lab: ScenarioLab): Promise<void> {
    const problems = await lab.release();
    for (const problem of problems) this.warn(problem);
    if (lab.started) this.emit('log', `lab ${lab.open.record.lab} torn down`);
  }

  /** Brings up (or reuses) the lab a scenario, or one pass of it, runs against. */
  private async acquireLab(scenario: Scenario, pass: LabPass | undefined): Promise<ScenarioLab> {
    const lab = await acquireScenarioLab({
      scenario,
      lab: this.options.lab,
      reuse: this.options.reuse === true,
      ...(this.options.port === undefined ? {} : { port: this.options.port }),
      ...(this.options.runtime === undefined ? {} : { runtime: this.options.runtime }),
      log: (line) => this.emit('log', line),
    });
    const record = lab.open.record;
    this.emit(
      'log',
      `${pass === undefined ? '' : `pass ${pass.name}: `}lab ${record.lab} (${record.runtime} runtime, ${lab.started ? 'started for this run' : 'reused'}): ` +
        `${lab.servers.length} ${record.app} servers behind ${initialAlgorithm(scenario)}${pass === undefined ? '' : ` in ${pass.mode} mode`} at ${lab.url}`,
    );
    this.emit('lab', lab);
    return lab;
  }

  /** Runs every pass with the balancer's event stream open; returns what each recorded. */
  private async runPasses(lab: ScenarioLab, seed: number, switches: ActionRecord[], scenario: Scenario, labPass: LabPass | undefined): Promise<PassRecord[]> {
    const events = await BalancerEventsClient.open({
      adminUrl: lab.open.admin.adminUrl,
      onEvent: (event) => this.onBalancerEvent(event),
      onGiveUp: (line) => this.warn(line),
      maxReconnects: 200,
    }).catch((error: Error) => {
      this.warn(`cannot follow the balancer's events (${error.message}); health changes are not recorded`);
      return undefined;
    });
    const watch = this.startBalancerWatch(lab);
    try {
      await this.warmUp(lab, seed, scenario);
      const algorithms = scenario.algorithms ?? [initialAlgorithm(scenario)];
      const passes: PassRecord[] = [];
      for (const [passIndex, algorithm] of algorithms.entries()) {
        this.throwIfAborted();
        if (this.balancerDeath.signal.aborted) break;
        if (passIndex > 0) {
          const atMs = Math.round(this.elapsedRunMs());
          await lab.open.admin.setAlgorithm(algorithm);
          const record: ActionRecord = { atMs, action: 'algorithm', target: algorithm };
          switches.push(record);
          this.emit('action', record);
          this.emit('action-done', record);
        }
        const servers = passIndex === 0 ? lab.servers : serverNames(await lab.open.runtime.list(lab.open.record.lab));
        passes.push(await this.runPass(lab, seed, scenario, { passIndex, passCount: algorithms.length, algorithm, servers }, labPass));
      }
      return passes;
    } finally {
      watch.stop();
      this.balancerSamples.push(...watch.saturation);
      await events?.close();
    }
  }

  /** Runs the scenario's warm-up phase, if any: before the load's clock starts, not recorded. */
  private async warmUp(lab: ScenarioLab, seed: number, scenario: Scenario): Promise<void> {
    const { warmup } = scenario;
    if (warmup === undefined) return;
    this.throwIfAborted();
    this.emit('log', `warm-up (not recorded): ${describePhase(warmup)}`);
    const result = await runLoad(phaseLoadOptions(warmup, { url: lab.url, seed, signal: this.loadSignal() })).result;
    this.emit('log', `warm-up done: ${result.requests} requests, ${result.errors} errors in ${formatDurationMs(result.durationMs)}`);
  }

  private onBalancerEvent(event: BalancerEvent): void {
    if ((event.type !== 'health' && event.type !== 'ejected') || event.server === undefined) return;
    if (this.runStartEpochMs === undefined) return;
    const atMs = event.at - this.runStartEpochMs;
    if (atMs < 0) return;
    const change: RunHealthChange = { atMs, server: event.server, health: event.health ?? event.type };
    this.healthChanges.push(change);
    this.emit('health', change);
  }

  private async runPass(
    lab: ScenarioLab,
    seed: number,
    scenario: Scenario,
    pass: { passIndex: number; passCount: number; algorithm: string; servers: readonly string[] },
    labPass: LabPass | undefined,
  ): Promise<PassRecord> {
    const { signal } = this.options;
    const loadSignal = this.loadSignal();
    const connectionsBefore = await relayedConnections(lab);
    let passStartPerfMs: number | undefined;
    let passOffsetMs = 0;
    let startedAt = new Date();
    const toRun = (record: ActionRecord): ActionRecord => ({ ...record, atMs: record.atMs + passOffsetMs });
    const timeline = new ActionTimeline({
      actions: scenario.actions,
      prepare: (action) => prepareScenarioAction(lab.open, action),
      elapsedMs: () => (passStartPerfMs === undefined ? 0 : performance.now() - passStartPerfMs),
      onStart: (record) => this.emit('action', toRun(record)),
      onDone: (record) => {
        if (record.note !== undefined) this.warn(`action ${record.action} ${record.target} at ${formatDurationMs(toRun(record).atMs)}: ${record.note}`);
        this.emit('action-done', toRun(record));
      },
    });
    const segments: LoadSegment[] = [];
    try {
      for (const [phaseIndex, phase] of scenario.phases.entries()) {
        this.throwIfAborted();
        if (loadSignal.aborted) break;
        const run = runLoad(phaseLoadOptions(phase, { url: lab.url, seed: seed + phaseIndex, signal: loadSignal }));
        let info: ScenarioPhaseInfo | undefined;
        const base = this.base;
        run.once('start', (start) => {
          const nowMs = performance.now();
          if (this.runStartPerfMs === undefined) {
            this.runStartPerfMs = nowMs;
            this.runStartEpochMs = Date.now();
          }
          if (passStartPerfMs === undefined) {
            passStartPerfMs = nowMs;
            passOffsetMs = Math.round(nowMs - this.runStartPerfMs);
            startedAt = start.startedAt;
            timeline.start();
          }
          info = {
            ...pass,
            phaseIndex,
            phaseCount: scenario.phases.length,
            name: phase.name ?? `phase ${phaseIndex + 1}`,
            description: describePhase(phase),
            offsetMs: Math.round(nowMs - this.runStartPerfMs),
            scheduled: start.scheduled,
          };
          this.emit('phase', info);
        });
        run.on('tick', (tick) => {
          if (info !== undefined) this.emit('tick', shiftTick(tick, info.offsetMs, base), info);
        });
        const result = await run.result;
        segments.push({ offsetMs: info?.offsetMs ?? 0, result, histograms: run.histograms });
        this.base = { requests: base.requests + result.requests, errors: base.errors + result.errors, dropped: base.dropped + result.dropped };
      }
    } finally {
      const aborted = signal?.aborted === true || loadSignal.aborted;
      const endMs = Math.round(this.elapsedRunMs() - passOffsetMs);
      for (const action of timeline.cancelPending()) {
        if (!aborted) this.warn(`action ${action.action} at ${formatDurationMs(action.atMs)} did not run: the load ended at ${formatDurationMs(endMs)}`);
      }
      if (!(await timeline.settled(aborted ? ACTION_SETTLE_ON_ABORT_MS : ACTION_SETTLE_TIMEOUT_MS))) {
        this.warn(`an action was still running ${aborted ? ACTION_SETTLE_ON_ABORT_MS : ACTION_SETTLE_TIMEOUT_MS} ms after the load ended; it is not recorded`);
      }
    }
    const connections = connectionsDuring(connectionsBefore, await relayedConnections(lab));
    return {
      algorithm: pass.algorithm,
      servers: pass.servers,
      startedAt,
      offsetMs: passOffsetMs,
      segments,
      actions: [...timeline.records],
      ...(labPass === undefined
        ? connections === undefined
          ? {}
          : { mode: 'tcp' as const }
        : { label: labPass.name, mode: labPass.mode, ...(labPass.connection === undefined ? {} : { connection: labPass.connection }) }),
      ...(connections === undefined ? {} : { connections }),
    };
  }
}

/** Starts a scenario run on the next turn of the event loop, so listeners can be attached first. */
export function runScenario(options: RunScenarioOptions): ScenarioRun {
  return new ScenarioRun(options);
}
