// Fidelity under chaos (issue 11), with the built CLI on the process runtime
// (or Docker with --fidelity-runtime docker):
// 300 req/s open model for 20 s of GET /home over 3 servers while servers are
// killed or hung (client errors, max latency), and three back-to-back bursts
// of 5,000 connections against the balancer while a probe in another process
// sends GET /home every 20 ms (servers marked down, probe errors).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePortPair } from '../lib/free-port.mjs';
import { expectSuccess, lblabCli } from '../lib/lblab-cli.mjs';

const RATE = 300;
const DURATION_S = 20;
const BURST_CONNECTIONS = 5_000;
const BURSTS = 3;
const PROBE_EVERY_MS = 20;

const CASES = [
  { name: 'kill 1 of 3', actions: [{ at: '5s', action: 'kill', target: 'server2' }] },
  {
    name: 'kill 2 of 3',
    actions: [
      { at: '5s', action: 'kill', target: 'server2' },
      { at: '5s', action: 'kill', target: 'server3' },
    ],
  },
  { name: 'kill 1 of 3, --retries 0', actions: [{ at: '5s', action: 'kill', target: 'server2' }], balancer: { retries: { count: 0 } } },
  { name: 'hang 1 of 3 (fault --hang)', actions: [{ at: '5s', action: 'fault', target: { server: 'server2', hang: true } }] },
];

/** @param {{ settings, distDir, log }} context */
export async function runFidelitySection({ settings, distDir, log }) {
  const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-bench-fidelity-'));
  const cases = {};
  try {
    for (const spec of CASES) {
      const result = await runChaosCase(spec, { distDir, home, runtime: settings.fidelityRuntime, durationS: settings.mode === 'quick' ? 10 : DURATION_S });
      cases[spec.name] = result;
      log(`  ${spec.name}: ${result.requests} requests (${result.dropped} dropped), ${result.errors} client errors ${JSON.stringify(result.statuses)}, max ${result.maxMs} ms, p99 ${result.p99Ms} ms`);
    }
    const bursts = await runBursts({ distDir, home, runtime: settings.fidelityRuntime });
    log(`  ${BURSTS} bursts of ${BURST_CONNECTIONS}: ${bursts.serversMarkedDown} servers marked down, probe ${bursts.probe.errors} errors of ${bursts.probe.requests}`);
    return { lab: `3 factorial servers, ${settings.fidelityRuntime} runtime, round-robin, default health checks; ${RATE} req/s open model`, cases, bursts };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

async function runChaosCase(spec, { distDir, home, runtime, durationS }) {
  const slug = spec.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
  const file = path.join(home, `${slug}.yaml`);
  const out = path.join(home, `out-${slug}`);
  const scenario = {
    name: `fidelity-${slug}`,
    lab: { servers: 3, runtime, ...(spec.balancer === undefined ? {} : { balancer: spec.balancer }) },
    phases: [{ name: 'steady', kind: 'open', rate: RATE, duration: `${durationS}s`, path: '/home' }],
    actions: spec.actions,
  };
  // JSON is YAML.
  await writeFile(file, JSON.stringify(scenario, null, 2));
  const port = await freePortPair();
  const cli = lblabCli({ distDir, lab: `fid${process.pid}`, home, cwd: home });
  const run = await cli(['run', file, '--runtime', runtime, '--port', String(port), '--out', out], (durationS + 120) * 1000);
  if (run.code !== 0 && run.code !== 1) expectSuccess(run, `run ${spec.name}`);
  const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
  return {
    requests: summary.totals.requests,
    // Due but not sent: the generator's in-flight limit was reached (a saturated machine).
    dropped: summary.totals.dropped,
    errors: summary.totals.errors,
    maxMs: summary.latency.maxMs,
    p99Ms: summary.latency.p99Ms,
    statuses: summary.statuses ?? undefined,
  };
}

async function runBursts({ distDir, home, runtime }) {
  const port = await freePortPair();
  const lab = `fidb${process.pid}`;
  const cli = lblabCli({ distDir, lab, home, cwd: home });
  const url = `http://127.0.0.1:${port}`;
  const adminUrl = `http://127.0.0.1:${port + 1}`;
  let events;
  let probe;
  try {
    // `down` runs in any case: an `up` that fails may have started members.
    expectSuccess(await cli(['up', '--servers', '3', '--runtime', runtime, '--port', String(port)], 180_000), 'up');
    // The admin API wants the lab's token (kept in its state folder); without it /events and /stats answer 401.
    const headers = { authorization: `Bearer ${(await readFile(path.join(home, lab, 'token'), 'utf8')).trim()}` };
    events = watchDowns(`${adminUrl}/events`, headers);
    probe = startProbe(`${url}/home`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const burstResults = [];
    for (let i = 0; i < BURSTS; i++) burstResults.push(await burst(`${url}/home`, BURST_CONNECTIONS));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const probeResult = await probe.stop();
    const stats = await getJson(`${adminUrl}/stats`, headers);
    return {
      serversMarkedDown: events.downs(),
      healthAtEnd: stats.servers.map((s) => `${s.name} ${s.health}`),
      saturationAtEnd: stats.saturation,
      probe: probeResult,
      bursts: burstResults,
    };
  } finally {
    events?.close();
    probe?.kill();
    await cli(['down'], 60_000);
  }
}

/** `count` requests on `count` fresh connections at once; statuses counted. */
function burst(url, count) {
  const started = performance.now();
  const statuses = {};
  let done = 0;
  return new Promise((resolve) => {
    const finish = (key) => {
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (++done === count) resolve({ statuses, wallMs: Math.round(performance.now() - started) });
    };
    for (let i = 0; i < count; i++) {
      const request = http.get(url, { agent: false }, (response) => {
        response.resume();
        response.on('end', () => finish(String(response.statusCode)));
        response.on('error', () => finish('error'));
      });
      request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
      request.on('error', (error) => finish(error.code ?? 'error'));
    }
  });
}

const PROBE_PROGRAM = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const url = process.argv[1];
const result = { requests: 0, errors: 0, maxMs: 0, failures: {} };
const tick = () => {
  const started = performance.now();
  const fail = (why) => { result.errors++; result.failures[why] = (result.failures[why] ?? 0) + 1; };
  const request = http.get(url, { agent }, (response) => {
    response.resume();
    response.on('end', () => {
      result.requests++;
      result.maxMs = Math.max(result.maxMs, Math.round(performance.now() - started));
      if (response.statusCode !== 200) fail(String(response.statusCode));
    });
  });
  request.setTimeout(10000, () => request.destroy(new Error('timeout')));
  request.on('error', (error) => { result.requests++; fail(error.code ?? error.message); });
};
const timer = setInterval(tick, ${PROBE_EVERY_MS});
process.on('SIGTERM', () => { clearInterval(timer); setTimeout(() => { process.stdout.write(JSON.stringify(result)); process.exit(0); }, 500); });
`;

function startProbe(url) {
  const child = spawn(process.execPath, ['-e', PROBE_PROGRAM, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(output);
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

function watchDowns(url, headers) {
  let text = '';
  let status;
  const request = http.get(url, { headers }, (response) => {
    status = response.statusCode;
    response.setEncoding('utf8');
    response.on('data', (chunk) => (text += chunk));
  });
  request.on('error', () => {});
  return {
    downs: () => {
      // A refused stream would count no downs at all: say so instead.
      if (status !== 200) throw new Error(`GET ${url} answered ${status ?? 'nothing'}`);
      return (text.match(/"health":"down"/g) ?? []).length;
    },
    close: () => request.destroy(),
  };
}

function getJson(url, headers) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}
