import { startRunDashboard, type RunDashboard, type RunProgress, type RunSummary as DashboardSummary } from './index.js';
import type { RunSummary } from '../report/run-summary.js';
import { runWarnings } from '../report/run-warnings.js';
import { wrapWords } from './format.js';
import type { LoadTick } from '../load/types.js';
import type { ScenarioPhaseInfo } from '../scenario/run-events.js';
import type { ScenarioRun } from '../scenario/run-scenario.js';

export interface LiveViewOptions {
  readonly scenario: string;
  /** Terminal columns: lines printed around the dashboard are wrapped at word boundaries to fit. Default 80. */
  readonly columns?: number;
  /** Where lines go before the dashboard opens and, buffered, after it closes. */
  readonly write: (line: string) => void;
  /** The user quit the dashboard. */
  readonly onQuit: () => void;
}

/** The dashboard's end-of-run totals from a run summary. */
export function dashboardSummary(summary: RunSummary): DashboardSummary {
  return {
    requests: summary.totals.requests,
    errors: summary.totals.errors,
    durationMs: summary.durationMs,
    dropped: summary.totals.dropped,
    latency: { p50Ms: summary.latency.p50Ms, p90Ms: summary.latency.p90Ms, p99Ms: summary.latency.p99Ms, maxMs: summary.latency.maxMs },
    byServer: Object.fromEntries(summary.servers.map((server) => [server.name, { requests: server.requests, errors: server.errors }])),
    thresholds: summary.thresholds.map((t) => ({ name: t.name, passed: t.pass, detail: `expected ${t.expected}, measured ${t.measured}` })),
    ...(runWarnings(summary).length === 0 ? {} : { saturation: runWarnings(summary).join('\n') }),
  };
}

/** The progress line of a phase: its own time and the share of its requests done (open and closed phases alike). */
export function phaseProgress(info: ScenarioPhaseInfo, elapsedMs: number, requestsDone: number): RunProgress {
  return {
    phase: info.passCount > 1 ? `${info.algorithm} · ${info.name}` : info.name,
    phaseIndex: info.passIndex * info.phaseCount + info.phaseIndex,
    phaseCount: info.passCount * info.phaseCount,
    elapsedMs,
    phaseElapsedMs: Math.max(0, elapsedMs - info.offsetMs),
    requestsDone,
    requestsTotal: info.scheduled,
  };
}

/**
 * Requests done in the tick's phase: counted from the totals before the
 * phase's first tick, so the count never depends on when the phase event came.
 */
export class PhaseRequestCounter {
  private key = '';
  private startTotal = 0;

  done(tick: LoadTick, info: ScenarioPhaseInfo): number {
    const key = `${info.passIndex}/${info.phaseIndex}`;
    if (key !== this.key) {
      this.key = key;
      const inTick = Object.values(tick.byServer).reduce((sum, count) => sum + count, 0);
      this.startTotal = tick.totalRequests - inTick;
    }
    return tick.totalRequests - this.startTotal;
  }
}

/**
 * Shows a scenario run in the live dashboard (cli/dashboard) once its lab is
 * up. Lines logged while the dashboard is open are printed after it closes.
 * Returns a function that waits for the dashboard to close.
 */
export function attachLiveView(run: ScenarioRun, options: LiveViewOptions): () => Promise<void> {
  let dashboard: RunDashboard | undefined;
  const buffered: string[] = [];
  const counter = new PhaseRequestCounter();
  const columns = options.columns ?? 80;
  const print = (line: string): void => {
    for (const part of wrapWords(line, columns)) {
      if (dashboard === undefined) options.write(part);
      else buffered.push(part);
    }
  };
  run.on('log', print);
  run.on('warning', (line) => {
    print(`warning: ${line}`);
    dashboard?.note(line, 'warn');
  });
  run.on('lab', (lab) => {
    dashboard = startRunDashboard({ lab: lab.open, scenario: options.scenario, onQuit: options.onQuit });
  });
  run.on('phase', (info) => dashboard?.update(phaseProgress(info, info.offsetMs, 0)));
  run.on('tick', (tick, info) => {
    const done = counter.done(tick, info);
    dashboard?.tick(tick);
    dashboard?.update(phaseProgress(info, tick.atMs, done));
  });
  run.on('action', (action) => dashboard?.note(`${action.action} ${action.target}`, 'action'));
  run.on('action-done', (action) => {
    if (action.error !== undefined) dashboard?.note(`${action.action} ${action.target} failed: ${action.error}`, 'bad');
  });
  let finished = false;
  run.on('summary', (summary, resultsDir) => {
    finished = true;
    dashboard?.finish(dashboardSummary(summary), resultsDir);
  });
  return async () => {
    if (dashboard !== undefined) {
      if (!finished) dashboard.close();
      await dashboard.waitUntilExit();
      dashboard = undefined;
    }
    for (const line of buffered.splice(0)) options.write(line);
  };
}
