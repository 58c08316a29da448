import { renderToString } from 'ink';
import type { DashboardSource, DashboardState, EventLine, FinishedPhase } from './dashboard-state.js';
import { formatCount, formatSpan } from './format.js';
import { formatPlainEvent, formatPlainLine } from './plain-line.js';
import { Summary } from './summary.js';

export interface PlainDashboardOptions {
  readonly source: DashboardSource;
  readonly out: (line: string) => void;
  /** Ends the loop (SIGINT, SIGTERM, --duration, the end of a run). */
  readonly signal: AbortSignal;
  /** One progress line per this interval (default 1000). */
  readonly intervalMs?: number;
  /** Width of the closing summary (default 80). */
  readonly columns?: number;
  /** Epoch ms, for the time on each line (default Date.now). */
  readonly now?: () => number;
}

/**
 * The dashboard without a TTY: a progress line every second, each balancer
 * event and finished phase as it comes, and the run's summary at the end,
 * which also ends the loop. Resolves when `signal` aborts or the summary is out.
 */
export function runPlainDashboard(options: PlainDashboardOptions): Promise<void> {
  const { source, out, signal } = options;
  return new Promise<void>((resolve) => {
    let lastEvent: EventLine | undefined = source.snapshot().events.at(-1);
    let phasesPrinted = source.snapshot().run?.finishedPhases.length ?? 0;
    let done = false;
    // The warning is printed when the balancer becomes saturated, not every second it stays so.
    let saturated = false;
    const printNew = (state: DashboardState): void => {
      if (state.saturation !== undefined && !saturated) out(state.saturation);
      saturated = state.saturation !== undefined;
      const index = lastEvent === undefined ? -1 : state.events.lastIndexOf(lastEvent);
      for (const event of state.events.slice(index + 1)) out(formatPlainEvent(event));
      lastEvent = state.events.at(-1) ?? lastEvent;
      const phases: readonly FinishedPhase[] = state.run?.finishedPhases ?? [];
      for (const phase of phases.slice(phasesPrinted)) {
        out(
          `phase ${phase.index + 1} ${phase.name} done  ${formatSpan(phase.durationMs)}  ${formatCount(phase.requests)} req  ${formatCount(phase.errors)} err`,
        );
      }
      phasesPrinted = phases.length;
    };
    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      unsubscribe();
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const onChange = (): void => {
      const state = source.snapshot();
      printNew(state);
      const run = state.run;
      if (run?.summary !== undefined) {
        out(renderToString(<Summary scenario={run.scenario} summary={run.summary} resultsDir={run.resultsDir} width={options.columns ?? 80} />, {
          columns: options.columns ?? 80,
        }));
        finish();
      }
    };
    const now = options.now ?? Date.now;
    const timer = setInterval(() => out(formatPlainLine(source.snapshot(), now())), options.intervalMs ?? 1_000);
    const unsubscribe = source.subscribe(onChange);
    if (signal.aborted) finish();
    else signal.addEventListener('abort', finish, { once: true });
    if (!done) onChange();
  });
}
