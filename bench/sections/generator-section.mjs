// The load generator: lblab's (a bundled child process), autocannon and wrk
// against the same server at the same connection count, in turn, after a
// warm-up; then one long lblab run for its peak memory.
//
// CPU per request is compared over the load only: each Node tool's start-up
// (Node's bootstrap, its modules, one request, exit) is measured on its own
// with a one-request run and subtracted from each timed run, so a tool that
// starts slower is not charged for it per request (the raw figure is kept).
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleLoadChild } from '../lib/load-child-bundle.mjs';
import { runChecked } from '../lib/run-command.mjs';
import { median, medianOfRounds, medianPairwiseRatio, round } from '../lib/stats.mjs';

/** One-request runs per Node tool to measure its start-up CPU (median). */
const STARTUP_RUNS = 3;
import { cpuMsFromStderr, withCpuTime } from '../lib/cpu-timed.mjs';
import { parseWrkOutput } from '../lib/wrk.mjs';

/** @param {{ pinning, servers, settings, benchDir, log }} context */
export async function runGeneratorSection({ pinning, servers, settings, benchDir, log }) {
  const notes = [];
  const server = servers[0];
  const childFile = await bundleLoadChild(benchDir);
  const autocannonCli = findAutocannon();
  if (autocannonCli === undefined) notes.push('autocannon: skipped, not installed (npm install, it is a devDependency)');

  const tools = {
    'lblab generator': (durationS) => runLoadChild(pinning, childFile, { url: server.url, path: '/home', connections: settings.connections, durationMs: durationS * 1000, maxDurationMs: durationS * 1000 + 10_000 }),
    ...(autocannonCli === undefined ? {} : { autocannon: (durationS) => runAutocannon(pinning, autocannonCli, `${server.url}/home`, settings.connections, durationS) }),
    wrk: (durationS) => runTimedWrk(pinning, `${server.url}/home`, settings.connections, durationS),
  };
  const names = Object.keys(tools);

  for (const name of names) await tools[name](settings.warmupS);
  const startups = {
    'lblab generator': () => runLoadChild(pinning, childFile, { url: server.url, path: '/home', connections: 1, requests: 1, maxDurationMs: 10_000 }),
    ...(autocannonCli === undefined ? {} : { autocannon: () => runAutocannon(pinning, autocannonCli, `${server.url}/home`, 1, undefined, 1) }),
  };
  const startupCpuMs = {};
  for (const [name, start] of Object.entries(startups)) {
    const runs = [];
    for (let i = 0; i < STARTUP_RUNS; i++) runs.push((await start()).cpuMs);
    startupCpuMs[name] = median(runs);
  }
  // wrk is a C program: its start-up is a millisecond or two, left in.
  const loadOnly = (name, result) => ({ ...result, cpuUsPerRequestLoad: perRequestUs(result.cpuMs === undefined ? undefined : result.cpuMs - (startupCpuMs[name] ?? 0), result.requests) });
  const rounds = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const name of names) rounds[name].push(loadOnly(name, await tools[name](settings.durationS)));
    log(`  round ${round}/${settings.rounds}: ${names.map((name) => `${name} ${Math.round(rounds[name].at(-1).rps)}`).join(', ')}`);
  }
  const cases = {};
  for (const name of names) {
    cases[name] = {
      ...medianOfRounds(rounds[name], ['rps', 'p50Ms', 'p99Ms', 'errors', 'cpuUsPerRequest', 'cpuUsPerRequestLoad', 'windowCpuUsPerRequest']),
      ...(startupCpuMs[name] === undefined ? {} : { startupCpuMs: round(startupCpuMs[name], 1) }),
      rpsVsAutocannon: medianPairwiseRatio(rounds[name], rounds.autocannon, 'rps'),
      rpsVsWrk: medianPairwiseRatio(rounds[name], rounds.wrk, 'rps'),
      cpuPerRequestVsAutocannon: medianPairwiseRatio(rounds[name], rounds.autocannon, 'cpuUsPerRequestLoad'),
      cpuPerRequestWithStartupVsAutocannon: medianPairwiseRatio(rounds[name], rounds.autocannon, 'cpuUsPerRequest'),
      rounds: rounds[name],
    };
  }

  log(`  memory: lblab generator, ${settings.memoryRequests.toLocaleString('en')} requests in a child process`);
  const memory = await runLoadChild(pinning, childFile, {
    url: server.url,
    path: '/home',
    connections: settings.connections,
    requests: settings.memoryRequests,
    maxDurationMs: settings.memoryMaxDurationMs,
  });
  if (settings.memoryRequests < 1_000_000) notes.push(`memory run used ${settings.memoryRequests.toLocaleString('en')} requests (--quick), not 1,000,000`);

  return {
    server: `${server.name} (sample server, GET /home), ${settings.connections} connections, ${settings.durationS} s per run`,
    startupCpuMs: Object.fromEntries(Object.entries(startupCpuMs).map(([name, ms]) => [name, round(ms, 1)])),
    rounds: settings.rounds,
    cases,
    memory: {
      requestsAsked: settings.memoryRequests,
      requests: memory.requests,
      errors: memory.errors,
      durationMs: Math.round(memory.durationMs),
      rps: Math.round(memory.rps),
      peakRssMB: Math.round((memory.peakRssBytes / 1024 / 1024) * 10) / 10,
      endReason: memory.endReason,
    },
    notes,
  };
}

async function runLoadChild(pinning, childFile, options) {
  const timeoutMs = options.maxDurationMs + 15_000;
  const [command, args] = pinning.wrap('load', ...withCpuTime(process.execPath, [childFile, JSON.stringify(options)]));
  const { stdout, stderr } = await runChecked(command, args, { timeoutMs });
  const report = JSON.parse(stdout.trim().split('\n').at(-1));
  const cpuMs = cpuMsFromStderr(stderr);
  // windowCpuUsPerRequest: the child's own process.cpuUsage() around the run (a cross-check of the start-up subtraction).
  return { ...report, cpuMs, cpuUsPerRequest: perRequestUs(cpuMs, report.requests), windowCpuUsPerRequest: perRequestUs(report.cpuMs, report.requests) };
}

async function runTimedWrk(pinning, url, connections, durationS) {
  const [command, args] = pinning.wrap('load', ...withCpuTime('wrk', ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', url]));
  const { stdout, stderr } = await runChecked(command, args, { timeoutMs: (durationS + 15) * 1000 });
  const figures = parseWrkOutput(stdout);
  const cpuMs = cpuMsFromStderr(stderr);
  return { ...figures, cpuMs, cpuUsPerRequest: perRequestUs(cpuMs, figures.requests) };
}

/** CPU time per request answered, in microseconds. */
function perRequestUs(cpuMs, requests) {
  return cpuMs === undefined || !(requests > 0) ? undefined : (cpuMs * 1000) / requests;
}

/** `amount`: send exactly that many requests instead of running `durationS`. */
async function runAutocannon(pinning, cli, url, connections, durationS, amount) {
  const length = amount === undefined ? ['-d', String(durationS)] : ['-a', String(amount)];
  const [command, args] = pinning.wrap('load', ...withCpuTime(process.execPath, [cli, '-c', String(connections), ...length, '-j', url]));
  const { stdout, stderr } = await runChecked(command, args, { timeoutMs: ((durationS ?? 0) + 15) * 1000 });
  const report = JSON.parse(stdout.trim().split('\n').at(-1));
  const requests = report.requests.total;
  return {
    rps: requests / (report.duration > 0 ? report.duration : durationS),
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    errors: report.errors + report.timeouts + report.non2xx,
    requests,
    cpuMs: cpuMsFromStderr(stderr),
    cpuUsPerRequest: perRequestUs(cpuMsFromStderr(stderr), requests),
  };
}

function findAutocannon() {
  try {
    const require = createRequire(import.meta.url);
    return path.join(path.dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  } catch {
    return undefined;
  }
}
