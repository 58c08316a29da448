import { constants } from 'node:os';
import { LabError } from '../errors.js';

/** The signals that stop lblab: Ctrl-C, `kill`/`timeout`/CI runners/systemd, a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal's number, as shells report it: 130, 143, 129. */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** What a command throws once it has stopped (and cleaned up) because of a signal. */
export class InterruptedError extends LabError {
  constructor(
    readonly signal: StopSignal,
    message: string,
  ) {
    super('LBLAB_INTERRUPTED', message, { exitCode: signalExitCode(signal) });
    this.name = 'InterruptedError';
  }
}

/** Where signals come from: `process`, or a stand-in in tests. */
export interface SignalSource {
  on(event: StopSignal, listener: (signal: StopSignal) => void): unknown;
  off(event: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

export interface InterruptionClaim {
  release(): void;
}

export interface ClaimOptions {
  /** Said on the first signal (e.g. `interrupted: tearing down lab x`). */
  readonly onFirst?: (signal: StopSignal) => void;
  /** On a second signal, before the process ends: say what is left and how to remove it. */
  readonly onSecond?: (signal: StopSignal) => Promise<void> | void;
}

/**
 * Turns SIGINT, SIGTERM and SIGHUP into an abort that commands await, so they
 * can tear down what they started; only the bin exits. Without a claim (a
 * command with nothing to clean up) the first signal ends the process at
 * once with 128 + n; with one, the first signal aborts `signal` and the
 * command finishes its cleanup, and a second one calls the claims' onSecond
 * and ends the process.
 */
export class Interruption {
  readonly #controller = new AbortController();
  readonly #claims = new Set<ClaimOptions>();
  readonly #source: SignalSource;
  readonly #listener = (signal: StopSignal): void => void this.#handle(signal);
  #first: StopSignal | undefined;
  #count = 0;
  #requestExit: (code: number) => void = () => undefined;
  /** Resolves with the exit code when the process must end now, whatever the command is doing. */
  readonly exitRequested: Promise<number>;

  constructor(source: SignalSource = process) {
    this.#source = source;
    this.exitRequested = new Promise((resolve) => {
      this.#requestExit = resolve;
    });
  }

  /** Aborted at the first signal; its reason is an InterruptedError. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first signal received, if any. */
  get received(): StopSignal | undefined {
    return this.#first;
  }

  install(): this {
    for (const name of STOP_SIGNALS) this.#source.on(name, this.#listener);
    return this;
  }

  uninstall(): void {
    for (const name of STOP_SIGNALS) this.#source.off(name, this.#listener);
  }

  /** Says that the running command cleans up on a signal; release it once there is nothing left to clean. */
  claim(options: ClaimOptions = {}): InterruptionClaim {
    const entry = { ...options };
    this.#claims.add(entry);
    const release = (): void => {
      this.#claims.delete(entry);
    };
    return { release };
  }

  /** An InterruptedError for the signal received, naming what was stopped. */
  error(what: string): InterruptedError {
    const signal = this.#first ?? 'SIGINT';
    return new InterruptedError(signal, `${what} (${signal})`);
  }

  async #handle(signal: StopSignal): Promise<void> {
    this.#count += 1;
    if (this.#count === 1) {
      this.#first = signal;
      const claims = [...this.#claims];
      this.#controller.abort(new InterruptedError(signal, `interrupted by ${signal}`));
      if (claims.length === 0) {
        this.#requestExit(signalExitCode(signal));
        return;
      }
      for (const claim of claims) claim.onFirst?.(signal);
      return;
    }
    const code = signalExitCode(this.#first ?? signal);
    // A third signal does not wait for the second's report.
    if (this.#count > 2) {
      this.#requestExit(code);
      return;
    }
    for (const claim of [...this.#claims]) {
      try {
        await claim.onSecond?.(signal);
      } catch {
        // Quitting at once is what was asked; what is left was already said, or cannot be.
      }
    }
    this.#requestExit(code);
  }
}

let current: Interruption | undefined;

/** The process's interruption, installed by the bin; a fresh uninstalled one elsewhere (tests). */
export function processInterruption(): Interruption {
  current ??= new Interruption();
  return current;
}
