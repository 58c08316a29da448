// Runs wrk and parses its report (req/s, latency distribution, errors).
import { runCommand } from './run-command.mjs';

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * @param {{ url: string, connections: number, threads: number, durationS: number, script?: string, timeoutS?: number }} options
 * @param {(command: string, args: string[]) => [string, string[]]} wrap  CPU pinning of the load tool
 */
export async function runWrk(options, wrap) {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.durationS}s`,
    `--timeout`,
    `${options.timeoutS ?? 5}s`,
    '--latency',
    ...(options.script === undefined ? [] : ['-s', options.script]),
    options.url,
  ];
  const [command, fullArgs] = wrap('wrk', args);
  const result = await runCommand(command, fullArgs, { timeoutMs: (options.durationS + 15) * 1000 });
  if (result.code !== 0) {
    throw new Error(`wrk ${args.join(' ')} ${result.timedOut ? 'timed out' : `exited with ${result.code ?? result.signal}`}: ${(result.stderr || result.stdout).trim().slice(-500)}`);
  }
  return parseWrkOutput(result.stdout);
}

/** @returns {{ rps: number, p50Ms: number, p90Ms: number, p99Ms: number, requests: number, errors: number }} */
export function parseWrkOutput(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1]);
  const percentile = (p) => {
    const found = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(text);
    return found === null ? undefined : Number(found[1]) * UNIT_MS[found[2]];
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((sum, value) => sum + Number(value), 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  if (!Number.isFinite(rps)) throw new Error(`cannot read wrk's report: ${text.trim().slice(-500)}`);
  return { rps, p50Ms: percentile(50), p90Ms: percentile(90), p99Ms: percentile(99), requests, errors: socketErrors + non2xx };
}
