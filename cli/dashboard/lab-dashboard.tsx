import { render, renderToString } from 'ink';
import type { OpenLab } from '../lab/open-lab.js';
import { createLabFeed } from './create-lab-feed.js';
import { DashboardApp } from './dashboard-app.js';
import { DashboardView } from './dashboard-view.js';
import { labActions } from './lab-actions.js';
import type { LabFeed } from './lab-feed.js';
import { runPlainDashboard } from './plain-dashboard.js';

export interface LabDashboardOptions {
  readonly lab: OpenLab;
  /** `tty`: live Ink view with keys; `plain`: a line per second; `once`: print one snapshot and return. */
  readonly mode: 'tty' | 'plain' | 'once';
  /** Where plain lines and the once snapshot go. */
  readonly out: (text: string) => void;
  /** Ends the dashboard (SIGINT, SIGTERM, --duration). */
  readonly signal: AbortSignal;
  /** GET /stats interval (default 250). */
  readonly statsIntervalMs?: number;
  /** Width of the once snapshot (default 80). */
  readonly columns?: number;
  /** Ink's streams (default: the process's). */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** A feed to use instead of one made for `lab` (tests). */
  readonly feed?: LabFeed;
}

/** `lblab dashboard`: watches the lab until q, Ctrl-C or `signal`. */
export async function runLabDashboard(options: LabDashboardOptions): Promise<void> {
  const feed = (options.feed ?? createLabFeed(options.lab, { statsIntervalMs: options.statsIntervalMs })).start();
  try {
    if (options.mode === 'once') {
      // Two polls give a first rate; a lost balancer is reported as such.
      await Promise.race([feed.polled(2), aborted(options.signal)]);
      const state = feed.snapshot();
      const columns = options.columns ?? 80;
      const height = Math.max(24, state.servers.length + 16);
      options.out(renderToString(<DashboardView state={state} width={columns} height={height} selected={-1} actions={false} keys={false} />, { columns }));
      return;
    }
    if (options.mode === 'plain') {
      await runPlainDashboard({ source: feed, out: options.out, signal: options.signal });
      return;
    }
    const app = render(<DashboardApp source={feed} actions={labActions(options.lab)} />, {
      exitOnCtrlC: false,
      // Only the process's own console may be redirected above the live view.
      patchConsole: options.stdout === undefined,
      ...(options.stdout === undefined ? {} : { stdout: options.stdout }),
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    });
    const unmount = (): void => app.unmount();
    options.signal.addEventListener('abort', unmount, { once: true });
    if (options.signal.aborted) unmount();
    try {
      await app.waitUntilExit();
    } finally {
      options.signal.removeEventListener('abort', unmount);
    }
  } finally {
    feed.stop();
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
