// The load generator: lblab's (a bundled child process), autocannon and wrk
// against the same server at the same connection count, in turn, after a
// warm-up; then one long lblab run for its peak memory.
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleLoadChild } from '../lib/load-child-bundle.mjs';
import { runChecked } from '../lib/run-command.mjs';
import { medianOfRounds, medianPairwiseRatio } from '../lib/stats.mjs';
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
  const rounds = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const name of names) rounds[name].push(await tools[name](settings.durationS));
    log(`  round ${round}/${settings.rounds}: ${names.map((name) => `${name} ${Math.round(rounds[name].at(-1).rps)}`).join(', ')}`);
  }
  const cases = {};
  for (const name of names) {
    cases[name] = {
      ...medianOfRounds(rounds[name], ['rps', 'p50Ms', 'p99Ms', 'errors', 'cpuUsPerRequest']),
      rpsVsAutocannon: medianPairwiseRatio(rounds[name], rounds.autocannon, 'rps'),
      rpsVsWrk: medianPairwiseRatio(rounds[name], rounds.wrk, 'rps'),
      cpuPerRequestVsAutocannon: medianPairwiseRatio(rounds[name], rounds.autocannon, 'cpuUsPerRequest'),
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
  return { ...report, cpuUsPerRequest: perRequestUs(cpuMsFromStderr(stderr), report.requests) };
}

async function runTimedWrk(pinning, url, connections, durationS) {
  const [command, args] = pinning.wrap('load', ...withCpuTime('wrk', ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', url]));
  const { stdout, stderr } = await runChecked(command, args, { timeoutMs: (durationS + 15) * 1000 });
  const figures = parseWrkOutput(stdout);
  return { ...figures, cpuUsPerRequest: perRequestUs(cpuMsFromStderr(stderr), figures.requests) };
}

/** The tool's CPU time (startup included) per request answered, in microseconds. */
function perRequestUs(cpuMs, requests) {
  return cpuMs === undefined || !(requests > 0) ? undefined : (cpuMs * 1000) / requests;
}

async function runAutocannon(pinning, cli, url, connections, durationS) {
  const [command, args] = pinning.wrap('load', ...withCpuTime(process.execPath, [cli, '-c', String(connections), '-d', String(durationS), '-j', url]));
  const { stdout, stderr } = await runChecked(command, args, { timeoutMs: (durationS + 15) * 1000 });
  const report = JSON.parse(stdout.trim().split('\n').at(-1));
  const requests = report.requests.total;
  return {
    rps: requests / (report.duration > 0 ? report.duration : durationS),
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    errors: report.errors + report.timeouts + report.non2xx,
    requests,
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
