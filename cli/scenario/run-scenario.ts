import { EventEmitter } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BalancerEvent } from '../../balancer/api-types.js';
import { LabError } from '../errors.js';
import { InterruptedError } from '../lab/interruption.js';
import { describeLeftovers } from '../lab/leftovers.js';
import { serverNames } from '../lab/open-lab.js';
import { RequestLog } from '../load/request-log.js';
import { runLoad } from '../load/run-load.js';
import { formatSchedule, readScheduleFile, writeScheduleFile, type RequestSchedule } from '../load/schedule-file.js';
import { algorithmLabel } from '../report/algorithm-label.js';
import { writeResults } from '../report/write-results.js';
import { balancerRows, balancersMarkdown, formatBalancerTable } from '../report/balancers-table.js';
import { writeFile } from 'node:fs/promises';
import type { RunHealthChange, RunSummary } from '../report/run-summary.js';
import type { RuntimeChoice, SwarmChoices } from '../runtime/select-runtime.js';
import { ActionTimeline, type ActionRecord } from './action-timeline.js';
import { prepareScenarioAction } from './apply-scenario-action.js';
import { scenarioBalancer } from './scenario-balancer.js';
import { switchBalancer } from './switch-balancer.js';
import { BalancerWatch, type BalancerDeath, type BalancerSaturationSample } from './balancer-watch.js';
import { formatDurationMs } from './duration.js';
import { ZERO_TICK_BASE, shiftTick, type LoadSegment, type TickBase } from './merge-load-results.js';
import { describePhase, phaseLoadOptions } from './phase-load-options.js';
import { claimResultsDir, defaultResultsDir } from './results-dir.js';
import type { ScenarioPhaseInfo, ScenarioRunEvents, ScenarioRunResult } from './run-events.js';
import { acquireScenarioLab, initialAlgorithm, type ScenarioLab } from './scenario-lab.js';
import { describeFault } from './apply-scenario-action.js';
import { buildScenarioSummaries, type PassRecord, type ScenarioSummaries } from './scenario-summaries.js';
import type { Scenario } from './schema.js';
import { failedThresholdLine } from './thresholds.js';
import { connectionsDuring, relayedConnections } from './relayed-connections.js';
import { labPasses, passFolderName, passScenario, type LabPass } from './scenario-passes.js';
import type { LabRecord } from '../lab/lab-record.js';
import { writeSplitResults } from '../report/split-results.js';
import { stepTiming } from '../lab/step-timing.js';

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
  /** Swarm runtime: placement and registry of a lab this run starts. */
  readonly swarm?: SwarmChoices;
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
  /** Write the first pass's request schedule (schedule.tsv) beside the results, for a replay phase. */
  readonly record?: boolean;
}

/** The file `--record` writes in the results folder. */
export const SCHEDULE_FILE = 'schedule.tsv';

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
  private readonly schedules = new Map<string, RequestSchedule>();
  /** The balancer's death stops the load; its saturation windows go into the summary (one watch per lab). */
  private readonly balancerDeath = new AbortController();
  private death: BalancerDeath | undefined;
  private readonly balancerSamples: BalancerSaturationSample[] = [];
  /** LBLAB_TIMING=1: where the run's time goes (up, warm-up, load, down, results). */
  private readonly timing = stepTiming('run');

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

  private async execute(): Promise<ScenarioRunResult> {
    const { scenario } = this.options;
    const seed = runSeed(scenario, this.options.seed);
    if (this.aborted) throw this.interruptedError('nothing was started or written');
    const labPassList = labPasses(scenario);
    if (labPassList !== undefined && this.options.reuse === true) {
      throw new LabError('LBLAB_BAD_INPUT', `scenario ${scenario.name} has passes, each in a lab of its own; run it without --reuse`, { exitCode: 2 });
    }

    const switches: ActionRecord[] = [];
    let passes: PassRecord[] = [];
    let record: LabRecord | undefined;
    let lab: ScenarioLab | undefined;
    let summaries: ScenarioSummaries | undefined;
    let resultsDir: string | undefined;
    let teardownProblems: string[] = [];
    let measured = false;
    try {
      for (const pass of labPassList ?? [undefined]) {
        if (this.aborted || this.balancerDeath.signal.aborted) break;
        // A pass of `passes` has a lab of its own; the last one is torn down once the summary is out, as a single lab is.
        const previous = lab;
        lab = undefined;
        if (previous !== undefined) for (const problem of await this.releaseLab(previous)) this.warn(problem);
        const passScenarioValue = pass === undefined ? scenario : passScenario(scenario, pass);
        lab = await this.acquireLab(passScenarioValue, pass);
        this.timing.mark('lab up');
        record = lab.open.record;
        passes.push(...(await this.runPasses(lab, seed, switches, passScenarioValue, pass)));
      }
      passes = passes.filter((pass) => pass.segments.length > 0);
      const death = this.death;
      if (passes.length === 0 && death !== undefined) {
        throw new LabError('LBLAB_BALANCER_DIED', `the balancer died before the load started (${death.reason}); nothing was measured`);
      }
      if (record !== undefined && passes.length > 0) {
        const startedAt = passes[0]?.startedAt ?? new Date();
        const built = buildScenarioSummaries({
          scenario: scenario.name,
          seed,
          lab: { app: record.app, runtime: record.runtime },
          passes,
          switches,
          healthChanges: this.healthChanges,
          thresholds: scenario.thresholds,
          balancerSaturation: this.balancerSamples,
          ...(death === undefined ? {} : { balancerDied: death }),
          facts: {
            phases: scenario.phases.map((phase, index) => ({ name: phase.name ?? `phase ${index + 1}`, description: describePhase(phase) })),
            ...(scenario.phases.find((phase) => phase.keys !== undefined)?.keys?.param === undefined ? {} : { keyParam: scenario.phases.find((phase) => phase.keys !== undefined)?.keys?.param }),
            fanout: (scenario.lab.balancer as { fanout?: { enabled?: boolean } } | undefined)?.fanout?.enabled === true,
            initialFaults: Object.fromEntries(Object.entries(scenario.lab.faults ?? {}).map(([name, fault]) => [name, describeFault(name, fault).slice(name.length + 1)])),
          },
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
      if (lab !== undefined) {
        const problems = await this.releaseLab(lab);
        this.timing.mark('lab down');
        // A reused lab's problems, or ones beside an error already on its way, are said, not thrown.
        if (lab.started && measured) teardownProblems = problems;
        else for (const problem of problems) this.warn(problem);
      }
    }
    if (teardownProblems.length > 0) await this.throwIfTeardownFailed(record?.lab ?? this.options.lab, teardownProblems, summaries, resultsDir, passes);
    if (summaries === undefined || resultsDir === undefined) throw this.interruptedError('it stopped before the load started; nothing was measured or written');

    const { summary, passes: passSummaries, files } = await this.writeAll(resultsDir, summaries, passes);
    this.timing.mark('results and charts');
    if (this.aborted) throw this.interruptedError(`what was measured until then is in ${resultsDir} (summary.json has "interrupted": true)`);

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

  /** Tears down a lab this run started (a reused one is left up); returns what went wrong. */
  private async releaseLab(lab: ScenarioLab): Promise<string[]> {
    const name = lab.open.record.lab;
    if (lab.started) this.emit('log', `tearing down lab ${name}`);
    const problems = await lab.release();
    if (lab.started && problems.length === 0) this.emit('log', `lab ${name} torn down`);
    return problems;
  }

  /** Brings up (or reuses) the lab a scenario, or one pass of it, runs against. */
  private async acquireLab(scenario: Scenario, pass: LabPass | undefined): Promise<ScenarioLab> {
    const lab = await acquireScenarioLab({
      scenario,
      lab: this.options.lab,
      reuse: this.options.reuse === true,
      ...(this.options.port === undefined ? {} : { port: this.options.port }),
      ...(this.options.runtime === undefined ? {} : { runtime: this.options.runtime }),
      ...(this.options.swarm === undefined ? {} : { swarm: this.options.swarm }),
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      log: (line) => this.emit('log', line),
    }).catch((error: unknown) => {
      // Stopped while the lab was starting: up removed what it had started (a failed teardown has its own error).
      if (this.aborted && !(error instanceof LabError && error.code === 'LBLAB_ENGINE')) {
        throw this.interruptedError('a lab was still starting; everything it had started is removed');
      }
      throw error;
    });
    const record = lab.open.record;
    this.emit(
      'log',
      `${pass === undefined ? '' : `pass ${pass.name}: `}lab ${record.lab} (${record.runtime} runtime, ${lab.started ? 'started for this run' : 'reused'}): ` +
        `${lab.servers.length} ${record.app} servers behind ${record.balancer?.version ?? 'lblab'} (${initialAlgorithm(scenario)})${pass === undefined ? '' : ` in ${pass.mode} mode`} at ${lab.url}`,
    );
    this.emit('lab', lab);
    return lab;
  }

  /** summary.json, report.md and the charts of the run, of each pass, and the comparisons the scenario asks for. */
  private async writeAll(
    resultsDir: string,
    summaries: ScenarioSummaries,
    passes: readonly PassRecord[],
  ): Promise<{ summary: RunSummary; passes: readonly RunSummary[]; files: string[] }> {
    const { scenario } = this.options;
    const recording = this.options.record === true ? await this.writeRecording(resultsDir, passes) : undefined;
    const balanced = withBalancers(summaries, passes);
    const passSummaries = balanced.passes;
    const summary = recording === undefined ? balanced.summary : { ...balanced.summary, recording: SCHEDULE_FILE };
    const byBalancer = scenarioBalancer(scenario).passes !== undefined;
    const labels = passSummaries.map((pass) => (byBalancer ? (pass.balancer?.kind ?? 'lblab') : (pass.lab.pass ?? algorithmLabel(pass.lab))));
    const by = byBalancer ? 'balancer' : labPasses(scenario) !== undefined ? 'pass' : 'algorithm';
    const written = await writeResults(resultsDir, summary, passSummaries.length > 0 ? { comparison: { summaries: passSummaries, labels, by } } : {});
    const files = [...(recording === undefined ? [] : [recording]), ...written.files];
    if (labPasses(scenario) !== undefined && passSummaries.length > 0) files.push(...(await writeSplitResults(resultsDir, passSummaries)));
    for (const [index, pass] of passSummaries.entries()) {
      const passDir = path.join(resultsDir, 'passes', passFolderName(index, labels[index] ?? algorithmLabel(pass.lab)));
      files.push(...(await writeResults(passDir, pass)).files);
    }
    if (byBalancer) {
      const rows = balancerRows(passSummaries.length > 0 ? passSummaries : [summary]);
      const file = path.join(resultsDir, 'balancers.md');
      await writeFile(file, balancersMarkdown(scenario.name, rows));
      files.push(file);
      this.emit('log', formatBalancerTable(rows));
    }
    return { summary, passes: passSummaries, files };
  }

  /** A lab this run started could not be torn down: the results are still written, then the run fails saying what is left. */
  private async throwIfTeardownFailed(
    lab: string,
    problems: readonly string[],
    summaries: ScenarioSummaries | undefined,
    resultsDir: string | undefined,
    passes: readonly PassRecord[],
  ): Promise<never> {
    let written = '';
    if (summaries !== undefined && resultsDir !== undefined) {
      written = await this.writeAll(resultsDir, summaries, passes).then(
        () => `\nresults: ${resultsDir}`,
        (error: Error) => `\nthe results could not be written either: ${error.message}`,
      );
    }
    throw new LabError(
      'LBLAB_ENGINE',
      `tearing down lab ${lab} failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${await describeLeftovers(lab)}${written}`,
    );
  }

  /** Writes the first pass's requests as a schedule file; returns its path. */
  private async writeRecording(resultsDir: string, passes: readonly PassRecord[]): Promise<string> {
    const pass = passes[0];
    const phases = this.options.scenario.phases;
    const requests = (pass?.segments ?? []).flatMap((segment, index) => {
      const phase = phases[index];
      const body = phase?.body;
      const bodyBytes = body === undefined ? 0 : Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body));
      const info = { method: phase?.method ?? 'GET', bodyBytes, ...(phase?.keys === undefined ? {} : { keyParam: phase.keys.param }) };
      return segment.log === undefined ? [] : [...segment.log.entries(segment.offsetMs - (pass?.offsetMs ?? 0))].map((entry) => ({ entry, info }));
    });
    const file = path.join(resultsDir, SCHEDULE_FILE);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(resultsDir, { recursive: true });
    await writeScheduleFile(file, formatSchedule(requests));
    return file;
  }

  private async scheduleOf(file: string): Promise<RequestSchedule> {
    const resolved = path.resolve(file);
    let schedule = this.schedules.get(resolved);
    if (schedule === undefined) {
      schedule = await readScheduleFile(resolved);
      this.schedules.set(resolved, schedule);
    }
    return schedule;
  }

  /**
   * Runs every pass (one per algorithm of `algorithms`, or per balancer kind
   * of `balancers`) with the balancer's health followed; returns what each recorded.
   */
  private async runPasses(lab: ScenarioLab, seed: number, switches: ActionRecord[], scenario: Scenario, labPass: LabPass | undefined): Promise<PassRecord[]> {
    const kinds = scenarioBalancer(scenario).passes;
    const algorithms = kinds === undefined ? (scenario.algorithms ?? [initialAlgorithm(scenario)]) : kinds.map(() => initialAlgorithm(scenario));
    const passes: PassRecord[] = [];
    let current = lab;
    for (const [passIndex, algorithm] of algorithms.entries()) {
      if (this.aborted || this.balancerDeath.signal.aborted) break;
      const kind = kinds?.[passIndex];
      if (passIndex > 0 && kind !== undefined) {
        this.emit('log', `switching the balancer to ${kind} on the same servers`);
        current = { ...current, open: await switchBalancer(current.open, kind, { scenario, algorithm, log: (line) => this.emit('log', line) }) };
      } else if (passIndex > 0) {
        const atMs = Math.round(this.elapsedRunMs());
        await current.open.admin.setAlgorithm(algorithm);
        const record: ActionRecord = { atMs, action: 'algorithm', target: algorithm };
        switches.push(record);
        this.emit('action', record);
        this.emit('action-done', record);
      }
      const watch = await current.open.admin
        .watchHealth({ onEvent: (event) => this.onBalancerEvent(event), onWarning: (line) => this.warn(line) })
        .catch((error: Error) => {
          this.warn(`cannot follow the balancer's health (${error.message}); health changes are not recorded`);
          return undefined;
        });
      const balancerWatch = this.startBalancerWatch(current);
      try {
        if (passIndex === 0) await this.warmUp(current, seed, scenario);
        this.timing.mark('warm-up');
        const servers = passIndex === 0 ? lab.servers : serverNames(await current.open.runtime.list(current.open.record.lab));
        const pass = await this.runPass(current, seed, scenario, { passIndex, passCount: algorithms.length, algorithm, servers }, labPass);
        passes.push({ ...pass, balancer: current.open.record.balancer ?? { kind: 'lblab' } });
        this.timing.mark(`load (${algorithm})`);
      } finally {
        balancerWatch.stop();
        this.balancerSamples.push(...balancerWatch.saturation);
        await watch?.close();
      }
    }
    return passes;
  }

  /** Runs the scenario's warm-up phase, if any: before the load's clock starts, not recorded. */
  private async warmUp(lab: ScenarioLab, seed: number, scenario: Scenario): Promise<void> {
    const { warmup } = scenario;
    if (warmup === undefined || this.aborted) return;
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
        if (this.aborted || loadSignal.aborted) break;
        const requestLog = new RequestLog();
        const schedule = phase.kind === 'replay' && phase.file !== undefined ? await this.scheduleOf(phase.file) : undefined;
        const run = runLoad(
          phaseLoadOptions(phase, {
            url: lab.url,
            seed: seed + phaseIndex,
            requestLog,
            ...(schedule === undefined ? {} : { schedule }),
            signal: loadSignal,
          }),
        );
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
        segments.push({ offsetMs: info?.offsetMs ?? 0, result, histograms: run.histograms, log: requestLog });
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

/** The summaries with the balancer that ran each pass, and the run's (kinds joined when they differ). */
function withBalancers(summaries: ScenarioSummaries, passes: readonly PassRecord[]): ScenarioSummaries {
  const identities = passes.map((pass) => pass.balancer ?? { kind: 'lblab' as const });
  const kinds = [...new Set(identities.map((identity) => identity.kind))];
  const first = identities[0];
  const whole = kinds.length === 1 && first !== undefined ? first : { kind: kinds.join(', ') };
  return {
    summary: { ...summaries.summary, balancer: whole },
    passes: summaries.passes.map((pass, index) => ({ ...pass, ...(identities[index] === undefined ? {} : { balancer: identities[index] }) })),
  };
}

/** Starts a scenario run on the next turn of the event loop, so listeners can be attached first. */
export function runScenario(options: RunScenarioOptions): ScenarioRun {
  return new ScenarioRun(options);
}
