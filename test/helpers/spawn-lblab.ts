import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { LBLAB_BIN } from './run-lblab.js';

export interface SpawnedLblab {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches, or rejects after timeoutMs (or when the process ends first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Exit code, or 128 + n when a signal ended it without a handler. */
  readonly exited: Promise<{ readonly code: number; readonly signal: NodeJS.Signals | null }>;
  /** Sends `signal` if still running. */
  kill(signal: NodeJS.Signals): void;
}

/** Starts the built `lblab` binary as a user would, and keeps it running for signals. */
export function spawnLblab(args: readonly string[], env: Readonly<Record<string, string>> = {}): SpawnedLblab {
  if (!existsSync(LBLAB_BIN)) throw new Error(`${LBLAB_BIN} is missing: run \`npm run build\` before the end-to-end tests`);
  const child = spawn(process.execPath, [LBLAB_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const watcher of watchers) watcher();
  });
  let ended = false;
  const exited = new Promise<{ code: number; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      for (const watcher of watchers) watcher();
      resolve({ code: code ?? -1, signal });
    });
  });
  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill: (signal) => {
      if (!ended) child.kill(signal);
    },
    waitForStderr: (pattern, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          watchers.delete(check);
          if (error === undefined) resolve();
          else reject(error);
        };
        const check = (): void => {
          if (pattern.test(err)) finish();
          else if (ended) finish(new Error(`lblab ended before its stderr matched ${String(pattern)}; stderr:\n${err}`));
        };
        const timer = setTimeout(() => finish(new Error(`stderr did not match ${String(pattern)} within ${timeoutMs} ms; stderr:\n${err}`)), timeoutMs);
        watchers.add(check);
        check();
      }),
  };
}
