import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../cli/lab/wait-until.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LBLAB_BIN = path.join(ROOT, 'dist', 'lblab.js');

export interface LblabResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `lblab` binary as a user would, with its own state folder. */
export function runLblab(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 120_000): Promise<LblabResult> {
  if (!existsSync(LBLAB_BIN)) throw new Error(`${LBLAB_BIN} is missing: run \`npm run build\` before the end-to-end tests`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LBLAB_BIN, ...args],
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Polls until check returns true, or fails with `what` after timeoutMs. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  await waitUntil(check, { timeoutMs, intervalMs: 50, what });
}
