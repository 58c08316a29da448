import { render } from 'ink';
import type { OpenLab } from '../lab/open-lab.js';
import type { LoadTick } from '../load/types.js';
import { createLabFeed } from './create-lab-feed.js';
import { DashboardApp } from './dashboard-app.js';
import type { EventTone, RunProgress, RunSummary } from './dashboard-state.js';
import { isInteractive } from './interactive.js';
import type { LabFeed } from './lab-feed.js';
import { labActions } from './lab-actions.js';
import { runPlainDashboard } from './plain-dashboard.js';
import { RunStore } from './run-store.js';

/** Anything that emits `tick` events, such as cli/load's LoadRun. */
export interface TickEmitter {
  on(event: 'tick', listener: (tick: LoadTick) => void): unknown;
  off(event: 'tick', listener: (tick: LoadTick) => void): unknown;
}

export interface RunDashboardOptions {
  /** The lab under test, for health, states, events and the k/r/a keys; undefined for a run against a plain URL. */
  readonly lab: OpenLab | undefined;
  /** Scenario name, shown in the header and the summary. */
  readonly scenario: string;
  /** Where ticks come from; ticks can also be pushed with tick(). */
  readonly ticks?: AsyncIterable<LoadTick> | TickEmitter;
  /** `tty` draws with Ink, `plain` prints lines; default: tty when stdout is a TTY and CI is not set. */
  readonly mode?: 'tty' | 'plain';
  /** Plain mode's output (default: process.stdout). */
  readonly out?: (line: string) => void;
  /** The user pressed q or Ctrl-C before the end: stop the run. The dashboard closes itself. */
  readonly onQuit?: () => void;
  /** GET /stats interval (default 250). */
  readonly statsIntervalMs?: number;
  /** Ink's streams (default: the process's); tests pass fakes. */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

export interface RunDashboardExit {
  /** `finished`: finish() was called and the summary shown; `quit`: the user quit; `closed`: close() was called. */
  readonly reason: 'finished' | 'quit' | 'closed';
}

export interface RunDashboard {
  /** Adds one tick (when not given through `ticks`). */
  tick(tick: LoadTick): void;
  /** Where the run is: phase, elapsed, planned total. A new phaseIndex closes the previous phase. */
  update(progress: RunProgress): void;
  /** Adds a line to the event log, e.g. a scenario action `kill server2`. */
  note(text: string, tone?: EventTone): void;
  /** Shows the summary, ends the live view and stops polling. */
  finish(summary: RunSummary, resultsDir?: string): void;
  /** Resolves once the dashboard is gone (after finish(), a quit, or close()). Never rejects. */
  waitUntilExit(): Promise<RunDashboardExit>;
  /** Ends at once, without a summary. Idempotent. */
  close(): void;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<LoadTick> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The live view of `lblab run --live`. Call update() as phases progress,
 * feed ticks (or pass `ticks`), then finish() with the run's result, and
 * await waitUntilExit() before printing anything else.
 */
export function startRunDashboard(options: RunDashboardOptions): RunDashboard {
  const feed: LabFeed | undefined =
    options.lab === undefined ? undefined : createLabFeed(options.lab, { statsIntervalMs: options.statsIntervalMs }).start();
  const store = new RunStore(options.scenario, feed);
  const ended = new AbortController();
  let reason: RunDashboardExit['reason'] = 'closed';
  let detachTicks = (): void => undefined;

  if (isAsyncIterable(options.ticks)) {
    const ticks = options.ticks;
    void (async () => {
      try {
        for await (const tick of ticks) {
          if (ended.signal.aborted) break;
          store.tick(tick);
        }
      } catch (error) {
        store.note('tick stream failed', 'bad', error instanceof Error ? error.message : String(error));
      }
    })();
  } else if (options.ticks !== undefined) {
    const emitter = options.ticks;
    const onTick = (tick: LoadTick): void => store.tick(tick);
    emitter.on('tick', onTick);
    detachTicks = () => void emitter.off('tick', onTick);
  }

  const cleanUp = (): void => {
    detachTicks();
    store.close();
    feed?.stop();
  };

  const quit = (): void => {
    if (store.finished) return;
    reason = 'quit';
    options.onQuit?.();
  };

  let exited: Promise<void>;
  if ((options.mode ?? (isInteractive(options.stdout) ? 'tty' : 'plain')) === 'tty') {
    const app = render(<DashboardApp source={store} actions={options.lab === undefined ? undefined : labActions(options.lab)} onQuit={quit} />, {
      exitOnCtrlC: false,
      // Only the process's own console may be redirected above the live view.
      patchConsole: options.stdout === undefined,
      ...(options.stdout === undefined ? {} : { stdout: options.stdout }),
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
    exited = app.waitUntilExit().then(
      () => undefined,
      () => undefined,
    );
    ended.signal.addEventListener('abort', () => app.unmount(), { once: true });
  } else {
    const out = options.out ?? ((line: string) => void process.stdout.write(line.endsWith('\n') ? line : `${line}\n`));
    exited = runPlainDashboard({ source: store, out, signal: ended.signal });
  }
  const done = exited.then((): RunDashboardExit => {
    ended.abort();
    cleanUp();
    return { reason };
  });

  return {
    tick: (tick) => store.tick(tick),
    update: (progress) => store.progress(progress),
    note: (text, tone) => store.note(text, tone),
    finish(summary, resultsDir) {
      if (store.finished || ended.signal.aborted) return;
      reason = 'finished';
      store.summary(summary, resultsDir);
    },
    waitUntilExit: () => done,
    close: () => ended.abort(),
  };
}
