// `lblab --help` start-up: as a process (wall time from spawn to exit), and
// in-process (import of dist/lblab.js to its process.exit, and the CPU the
// whole process used), median of N runs after warm-ups.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round } from '../lib/stats.mjs';

// Runs in the child: times the import of the CLI up to its process.exit, and reports on stderr.
const HARNESS = `
const startedMs = performance.now();
process.argv = [process.argv[0], 'lblab', '--help'];
process.exit = () => {
  const cpu = process.cpuUsage();
  process.stderr.write('\\nSTARTUP ' + JSON.stringify({ importMs: performance.now() - startedMs, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\\n');
  process.reallyExit(0);
};
await import(process.env.LBLAB_STARTUP_URL);
`;

function runNode(args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const startedMs = performance.now();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, wallMs: performance.now() - startedMs, stderr });
    });
  });
}

/** @param {{ settings, distDir, log }} context */
export async function runStartupSection({ settings, distDir }) {
  const bin = path.join(distDir, 'lblab.js');
  const runs = settings.startupRuns;
  const processMs = [];
  const importMs = [];
  const cpuMs = [];
  for (let i = 0; i < settings.startupWarmups + runs; i++) {
    const run = await runNode([bin, '--help'], {}, 10_000);
    if (run.code !== 0) throw new Error(`lblab --help exited with ${run.code}: ${run.stderr.slice(0, 200)}`);
    const inProcess = await runNode(['--input-type=module', '-e', HARNESS], { LBLAB_STARTUP_URL: pathToFileURL(bin).href }, 10_000);
    const line = /STARTUP (\{.*\})/.exec(inProcess.stderr)?.[1];
    if (line === undefined) throw new Error(`the start-up harness printed no figures: ${inProcess.stderr.slice(0, 200)}`);
    if (i < settings.startupWarmups) continue;
    const figures = JSON.parse(line);
    processMs.push(run.wallMs);
    importMs.push(figures.importMs);
    cpuMs.push(figures.cpuMs);
  }
  const summary = (values) => ({ medianMs: round(median(values), 1), minMs: round(Math.min(...values), 1), runs: values.length });
  return {
    command: 'node dist/lblab.js --help',
    process: summary(processMs),
    inProcessImport: summary(importMs),
    processCpu: summary(cpuMs),
  };
}
