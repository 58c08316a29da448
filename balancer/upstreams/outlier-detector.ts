// Passive ejection (outlier detection, as in Envoy): a server whose real
// traffic brings `consecutive5xx` 5xx answers, connection errors or timeouts
// in a row is ejected for baseEjectionMs × n (n: its ejections in a row),
// at most maxEjectionMs, while at most maxEjectionPercent of the servers are
// ejected at once. It never ejects the last server that is up.
import { waitAtLeast } from '../data-path/backoff.js';
import type { Backend } from './backend.js';
import type { OutlierOptions } from '../config/config.js';

export interface OutlierDetectorOptions {
  readonly settings: () => OutlierOptions;
  /** Every registered server (for the ejection cap). */
  readonly servers: () => readonly Backend[];
  /** Servers up now (health `up`). */
  readonly upCount: () => number;
  /** Epoch ms: ejection times and their ends. */
  readonly wallClock: () => number;
  /** Applies an ejection (health `ejected`, event, log). */
  readonly eject: (backend: Backend, durationMs: number, detail: string) => void;
  /** Ends one (health back to what the active checks say). */
  readonly restore: (backend: Backend, detail: string) => void;
  readonly log: (line: string) => void;
}

interface EjectionState {
  /** n of the current or last ejection. */
  multiplier: number;
  /** Epoch ms when the last ejection ended. */
  lastEndedAt: number | undefined;
  wait: { cancel(): void } | undefined;
}

/** Servers that may be ejected at once: maxEjectionPercent of them, rounded down, but at least one (0 when the percent is 0). */
export function maxEjected(servers: number, maxEjectionPercent: number): number {
  if (maxEjectionPercent <= 0 || servers === 0) return 0;
  return Math.max(1, Math.floor((servers * maxEjectionPercent) / 100));
}

export class OutlierDetector {
  private readonly states = new Map<Backend, EjectionState>();

  constructor(private readonly options: OutlierDetectorOptions) {}

  /** An answer below 500: the run of failures is over. */
  success(backend: Backend): void {
    backend.consecutiveFailures = 0;
  }

  /** A 5xx answer, a connection error or a timeout on real traffic; `reason` is `status 500`, `ECONNREFUSED`... */
  failure(backend: Backend, reason: string): void {
    const settings = this.options.settings();
    if (!settings.enabled || backend.health !== 'up' || backend.retired) return;
    backend.consecutiveFailures++;
    if (backend.consecutiveFailures < settings.consecutive5xx) return;
    const failures = backend.consecutiveFailures;
    backend.consecutiveFailures = 0;
    const refusal = this.refusal(settings);
    if (refusal !== undefined) {
      this.options.log(`not ejecting ${backend.name} after ${consecutiveFailures(failures)} (last: ${reason}): ${refusal}`);
      return;
    }
    this.eject(backend, settings, `${consecutiveFailures(failures)}, last: ${reason}`);
  }

  /** Ends every ejection now (passive ejection switched off). */
  restoreAll(detail: string): void {
    for (const [backend, state] of this.states) {
      if (state.wait === undefined) continue;
      state.wait.cancel();
      this.end(backend, state, detail);
    }
  }

  /** The server was removed: its ejection timer stops. */
  forget(backend: Backend): void {
    this.states.get(backend)?.wait?.cancel();
    this.states.delete(backend);
  }

  close(): void {
    for (const state of this.states.values()) state.wait?.cancel();
    this.states.clear();
  }

  private refusal(settings: OutlierOptions): string | undefined {
    const servers = this.options.servers();
    const ejected = servers.filter((b) => b.health === 'ejected').length;
    const allowed = maxEjected(servers.length, settings.maxEjectionPercent);
    if (ejected >= allowed) {
      return `${ejected} of ${servers.length} servers ejected already, maxEjectionPercent ${settings.maxEjectionPercent} allows ${allowed}`;
    }
    if (this.options.upCount() < 2) return 'it is the last server up';
    return undefined;
  }

  private eject(backend: Backend, settings: OutlierOptions, why: string): void {
    let state = this.states.get(backend);
    if (state === undefined) {
      state = { multiplier: 0, lastEndedAt: undefined, wait: undefined };
      this.states.set(backend, state);
    }
    const now = this.options.wallClock();
    // Ejections in a row grow the time; a server that stayed in for maxEjectionMs starts again at the base.
    const inARow = state.lastEndedAt !== undefined && now - state.lastEndedAt < settings.maxEjectionMs;
    state.multiplier = inARow ? state.multiplier + 1 : 1;
    const durationMs = Math.min(settings.maxEjectionMs, settings.baseEjectionMs * state.multiplier);
    this.options.eject(backend, durationMs, `${why}; ejected for ${durationMs} ms (${ordinal(state.multiplier)} in a row)`);
    // Started after the ejection was applied, so it never ends before the time that was announced.
    const current = state;
    current.wait = waitAtLeast(durationMs, this.options.wallClock, () => this.end(backend, current, `ejection of ${durationMs} ms over`));
  }

  private end(backend: Backend, state: EjectionState, detail: string): void {
    state.wait = undefined;
    state.lastEndedAt = this.options.wallClock();
    backend.consecutiveFailures = 0;
    this.options.restore(backend, detail);
  }
}

function consecutiveFailures(count: number): string {
  return `${count} consecutive failure${count === 1 ? '' : 's'}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}
