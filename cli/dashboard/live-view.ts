import { startRunDashboard, type RunDashboard, type RunProgress, type RunSummary as DashboardSummary } from './index.js';
import type { RunSummary } from '../report/run-summary.js';
import type { ScenarioPhaseInfo } from '../scenario/run-events.js';
import type { ScenarioRun } from '../scenario/run-scenario.js';

export interface LiveViewOptions {
  readonly scenario: string;
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
  };
}

function progress(info: ScenarioPhaseInfo, elapsedMs: number, requestsDone: number): RunProgress {
  return {
    phase: info.passCount > 1 ? `${info.algorithm} · ${info.name}` : info.name,
    phaseIndex: info.passIndex * info.phaseCount + info.phaseIndex,
    phaseCount: info.passCount * info.phaseCount,
    elapsedMs,
    requestsDone,
    requestsTotal: info.scheduled,
  };
}

/**
 * Shows a scenario run in the live dashboard (cli/dashboard) once its lab is
 * up. Lines logged while the dashboard is open are printed after it closes.
 * Returns a function that waits for the dashboard to close.
 */
export function attachLiveView(run: ScenarioRun, options: LiveViewOptions): () => Promise<void> {
  let dashboard: RunDashboard | undefined;
  const buffered: string[] = [];
  let phaseStartRequests = 0;
  let lastTotalRequests = 0;
  const print = (line: string): void => {
    if (dashboard === undefined) options.write(line);
    else buffered.push(line);
  };
  run.on('log', print);
  run.on('warning', (line) => {
    print(`warning: ${line}`);
    dashboard?.note(line, 'warn');
  });
  run.on('lab', (lab) => {
    dashboard = startRunDashboard({ lab: lab.open, scenario: options.scenario, onQuit: options.onQuit });
  });
  run.on('phase', (info) => {
    phaseStartRequests = lastTotalRequests;
    dashboard?.update(progress(info, info.offsetMs, 0));
  });
  run.on('tick', (tick, info) => {
    lastTotalRequests = tick.totalRequests;
    dashboard?.tick(tick);
    dashboard?.update(progress(info, tick.atMs, tick.totalRequests - phaseStartRequests));
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
