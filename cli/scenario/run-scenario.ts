import { EventEmitter } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BalancerEvent } from '../../balancer/api-types.js';
import { LabError } from '../errors.js';
import { InterruptedError } from '../lab/interruption.js';
import { describeLeftovers } from '../lab/leftovers.js';
import { serverNames } from '../lab/open-lab.js';
import { runLoad } from '../load/run-load.js';
import { writeResults } from '../report/write-results.js';
import type { RunHealthChange } from '../report/run-summary.js';
import type { RuntimeChoice } from '../runtime/select-runtime.js';
import { ActionTimeline, type ActionRecord } from './action-timeline.js';
import { prepareScenarioAction } from './apply-scenario-action.js';
import { BalancerEventStream } from './balancer-events.js';
import { formatDurationMs } from './duration.js';
import { ZERO_TICK_BASE, shiftTick, type LoadSegment, type TickBase } from './merge-load-results.js';
import { describePhase, phaseLoadOptions } from './phase-load-options.js';
import { claimResultsDir, defaultResultsDir } from './results-dir.js';
import type { ScenarioPhaseInfo, ScenarioRunEvents, ScenarioRunResult } from './run-events.js';
import { acquireScenarioLab, initialAlgorithm, type ScenarioLab } from './scenario-lab.js';
import { buildScenarioSummaries, type PassRecord, type ScenarioSummaries } from './scenario-summaries.js';
import type { Scenario } from './schema.js';
import { failedThresholdLine } from './thresholds.js';

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
  /**
   * Aborting stops the load at once, tears down, writes what was measured
   * (summary.json with "interrupted": true) and rejects with LBLAB_INTERRUPTED,
   * exit code 128 + n of the signal in the reason (an InterruptedError), else 130.
   */
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

  private get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** The error an interrupted run ends with: the signal's exit code (128 + n), else 130. */
  private interruptedError(what: string): LabError {
    const reason: unknown = this.options.signal?.reason;
    const message = `run of ${this.options.scenario.name} interrupted${reason instanceof InterruptedError ? ` by ${reason.signal}` : ''}; ${what}`;
    if (reason instanceof InterruptedError) return new InterruptedError(reason.signal, message);
    return new LabError('LBLAB_INTERRUPTED', message, { exitCode: INTERRUPTED_EXIT_CODE });
  }

  private async execute(): Promise<ScenarioRunResult> {
    const { scenario } = this.options;
    const seed = runSeed(scenario, this.options.seed);
    if (this.aborted) throw this.interruptedError('nothing was started or written');
    const lab = await acquireScenarioLab({
      scenario,
      lab: this.options.lab,
      reuse: this.options.reuse === true,
      ...(this.options.port === undefined ? {} : { port: this.options.port }),
      ...(this.options.runtime === undefined ? {} : { runtime: this.options.runtime }),
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      log: (line) => this.emit('log', line),
    }).catch((error: unknown) => {
      // Stopped while the lab was starting: up removed what it had started (a failed teardown has its own error).
      if (this.aborted && !(error instanceof LabError && error.code === 'LBLAB_ENGINE')) {
        throw this.interruptedError('the lab was still starting; everything it had started is removed, nothing was written');
      }
      throw error;
    });
    const record = lab.open.record;
    this.emit(
      'log',
      `lab ${record.lab} (${record.runtime} runtime, ${lab.started ? 'started for this run' : 'reused'}): ` +
        `${lab.servers.length} ${record.app} servers behind ${initialAlgorithm(scenario)} at ${lab.url}`,
    );
    this.emit('lab', lab);

    let summaries: ScenarioSummaries | undefined;
    let resultsDir: string | undefined;
    let teardownProblems: string[] = [];
    let measured = false;
    try {
      const switches: ActionRecord[] = [];
      const passes = (await this.runPasses(lab, seed, switches)).filter((pass) => pass.segments.length > 0);
      if (passes.length > 0) {
        const startedAt = passes[0]?.startedAt ?? new Date();
        const built = buildScenarioSummaries({
          scenario: scenario.name,
          seed,
          lab: { app: record.app, runtime: record.runtime },
          passes,
          switches,
          healthChanges: this.healthChanges,
          thresholds: scenario.thresholds,
        });
        summaries = this.aborted
          ? { summary: { ...built.summary, interrupted: true }, passes: built.passes.map((pass) => ({ ...pass, interrupted: true as const })) }
          : built;
        resultsDir =
          this.options.outDir ?? (await claimResultsDir(defaultResultsDir(scenario.name, startedAt, this.options.resultsRoot ?? 'results')));
        this.emit('summary', summaries.summary, resultsDir);
      }
      measured = true;
    } finally {
      if (lab.started) this.emit('log', `tearing down lab ${record.lab}`);
      const problems = await lab.release();
      if (lab.started && measured) {
        teardownProblems = problems;
      } else {
        // A reused lab's, or beside the error already on its way: said, not thrown.
        for (const problem of problems) this.warn(problem);
      }
      if (lab.started && problems.length === 0) this.emit('log', `lab ${record.lab} torn down`);
    }
    if (teardownProblems.length > 0) await this.throwIfTeardownFailed(record.lab, teardownProblems, summaries, resultsDir);
    if (summaries === undefined || resultsDir === undefined) throw this.interruptedError('it stopped before the load started; nothing was measured or written');

    const { summary, passes: passSummaries } = summaries;
    const files = await this.writeAll(resultsDir, summaries);
    if (this.aborted) throw this.interruptedError(`what was measured until then is in ${resultsDir} (summary.json has "interrupted": true)`);

    const failures = [
      ...summary.thresholds.filter((threshold) => !threshold.pass).map(failedThresholdLine),
      ...summary.actions
        .filter((action): action is ActionRecord => (action as ActionRecord).error !== undefined)
        .map((action) => `action ${action.action} ${action.target} at ${formatDurationMs(action.atMs)} failed: ${action.error ?? ''}`),
    ];
    return { summary, passes: passSummaries, resultsDir, files, failures, warnings: [...this.warnings] };
  }

  /** summary.json, report.md and the charts of the run, and of each pass when there are several. */
  private async writeAll(resultsDir: string, summaries: ScenarioSummaries): Promise<string[]> {
    const { summary, passes: passSummaries } = summaries;
    const labels = passSummaries.map((pass) => pass.lab.algorithm);
    const written = await writeResults(resultsDir, summary, passSummaries.length > 0 ? { comparison: { summaries: passSummaries, labels } } : {});
    const files = [...written.files];
    for (const [index, pass] of passSummaries.entries()) {
      const passDir = path.join(resultsDir, 'passes', `${index + 1}-${pass.lab.algorithm}`);
      files.push(...(await writeResults(passDir, pass)).files);
    }
    return files;
  }

  /** A lab this run started could not be torn down: the results are still written, then the run fails saying what is left. */
  private async throwIfTeardownFailed(
    lab: string,
    problems: readonly string[],
    summaries: ScenarioSummaries | undefined,
    resultsDir: string | undefined,
  ): Promise<never> {
    let written = '';
    if (summaries !== undefined && resultsDir !== undefined) {
      written = await this.writeAll(resultsDir, summaries).then(
        () => `\nresults: ${resultsDir}`,
        (error: Error) => `\nthe results could not be written either: ${error.message}`,
      );
    }
    throw new LabError(
      'LBLAB_ENGINE',
      `tearing down lab ${lab} failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${await describeLeftovers(lab)}${written}`,
    );
  }

  /** Runs every pass with the balancer's event stream open; returns what each recorded. */
  private async runPasses(lab: ScenarioLab, seed: number, switches: ActionRecord[]): Promise<PassRecord[]> {
    const events = await BalancerEventStream.open({
      adminUrl: lab.open.admin.adminUrl,
      ...(lab.open.token === undefined ? {} : { token: lab.open.token }),
      onEvent: (event) => this.onBalancerEvent(event),
      onWarning: (line) => this.warn(line),
    }).catch((error: Error) => {
      this.warn(`cannot follow the balancer's events (${error.message}); health changes are not recorded`);
      return undefined;
    });
    try {
      await this.warmUp(lab, seed);
      const algorithms = this.options.scenario.algorithms ?? [initialAlgorithm(this.options.scenario)];
      const passes: PassRecord[] = [];
      for (const [passIndex, algorithm] of algorithms.entries()) {
        if (this.aborted) break;
        if (passIndex > 0) {
          const atMs = Math.round(this.elapsedRunMs());
          await lab.open.admin.setAlgorithm(algorithm);
          const record: ActionRecord = { atMs, action: 'algorithm', target: algorithm };
          switches.push(record);
          this.emit('action', record);
          this.emit('action-done', record);
        }
        const servers = passIndex === 0 ? lab.servers : serverNames(await lab.open.runtime.list(lab.open.record.lab));
        passes.push(await this.runPass(lab, seed, { passIndex, passCount: algorithms.length, algorithm, servers }));
      }
      return passes;
    } finally {
      await events?.close();
    }
  }

  /** Runs the scenario's warm-up phase, if any: before the load's clock starts, not recorded. */
  private async warmUp(lab: ScenarioLab, seed: number): Promise<void> {
    const { warmup } = this.options.scenario;
    if (warmup === undefined || this.aborted) return;
    this.emit('log', `warm-up (not recorded): ${describePhase(warmup)}`);
    const { signal } = this.options;
    const result = await runLoad(phaseLoadOptions(warmup, { url: lab.url, seed, ...(signal === undefined ? {} : { signal }) })).result;
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
    pass: { passIndex: number; passCount: number; algorithm: string; servers: readonly string[] },
  ): Promise<PassRecord> {
    const { scenario, signal } = this.options;
    let passStartPerfMs: number | undefined;
    let passOffsetMs = 0;
    let startedAt = new Date();
    const toRun = (record: ActionRecord): ActionRecord => ({ ...record, atMs: record.atMs + passOffsetMs });
    const timeline = new ActionTimeline({
      actions: scenario.actions,
      prepare: (action) => prepareScenarioAction(lab.open, action),
      elapsedMs: () => (passStartPerfMs === undefined ? 0 : performance.now() - passStartPerfMs),
      onStart: (record) => this.emit('action', toRun(record)),
      onDone: (record) => this.emit('action-done', toRun(record)),
    });
    const segments: LoadSegment[] = [];
    try {
      for (const [phaseIndex, phase] of scenario.phases.entries()) {
        if (this.aborted) break;
        const run = runLoad(phaseLoadOptions(phase, { url: lab.url, seed: seed + phaseIndex, ...(signal === undefined ? {} : { signal }) }));
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
      const aborted = signal?.aborted === true;
      const endMs = Math.round(this.elapsedRunMs() - passOffsetMs);
      for (const action of timeline.cancelPending()) {
        if (!aborted) this.warn(`action ${action.action} at ${formatDurationMs(action.atMs)} did not run: the load ended at ${formatDurationMs(endMs)}`);
      }
      if (!(await timeline.settled(aborted ? ACTION_SETTLE_ON_ABORT_MS : ACTION_SETTLE_TIMEOUT_MS))) {
        this.warn(`an action was still running ${aborted ? ACTION_SETTLE_ON_ABORT_MS : ACTION_SETTLE_TIMEOUT_MS} ms after the load ended; it is not recorded`);
      }
    }
    return { algorithm: pass.algorithm, servers: pass.servers, startedAt, offsetMs: passOffsetMs, segments, actions: [...timeline.records] };
  }
}

/** Starts a scenario run on the next turn of the event loop, so listeners can be attached first. */
export function runScenario(options: RunScenarioOptions): ScenarioRun {
  return new ScenarioRun(options);
}
