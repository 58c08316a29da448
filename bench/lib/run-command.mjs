// Runs a program to completion with a time limit; returns its output and wall time.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const MAX_OUTPUT_CHARS = 1_000_000;

/**
 * @returns {Promise<{ code: number | null, signal: string | null, stdout: string, stderr: string, wallMs: number, timedOut: boolean }>}
 */
export function runCommand(command, args, { env, cwd, timeoutMs }) {
  return new Promise((resolve) => {
    const startMs = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, wallMs: performance.now() - startMs, timedOut });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - startMs, timedOut });
    });
  });
}

/** Like runCommand, but throws with the output when the program fails or times out. */
export async function runChecked(command, args, options) {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exited with ${result.code ?? result.signal}`;
    throw new Error(`${[command, ...args].join(' ')} ${why}: ${(result.stderr || result.stdout).trim().slice(-800)}`);
  }
  return result;
}
