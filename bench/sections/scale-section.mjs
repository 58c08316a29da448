// Scale of the lab itself: for each runtime and each server count N, the wall
// time of `lblab up --servers N` to ready, the balancer's CPU while it only
// health-checks N idle servers at the default interval, the servers' CPU for
// answering those checks, memory per member, and `down`. One unique lab and
// LBLAB_HOME per case; `down` always runs, and anything left is removed by label.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { dockerAnswers, forceRemoveLab, leftoversOf } from '../lib/docker-images.mjs';
import { freePortPair } from '../lib/free-port.mjs';
import { expectSuccess, lblabCli } from '../lib/lblab-cli.mjs';
import { cpuMsOfTree } from '../lib/proc-cpu.mjs';
import { median, round } from '../lib/stats.mjs';
import { runCommand } from '../lib/run-command.mjs';

/** DEFAULT_HEALTH.intervalMs in balancer/config/config.ts: `up` without --health-interval. */
const DEFAULT_HEALTH_INTERVAL_MS = 500;
/** What one more sample server costs at most, for the pre-flight check (a Node sample server idles at ~45 MB RSS). */
const SERVER_BUDGET_MB = 80;
/** Threads of one Node process (main, libuv pool of 4, V8 helpers), for the pre-flight check. */
const SERVER_THREADS = 12;

/** @param {{ settings, distDir, log }} context */
export async function runScaleSection({ settings, distDir, log }) {
  const notes = [];
  const runs = [];
  const engine = await dockerAnswers();
  for (const runtime of settings.scaleRuntimes) {
    if (runtime !== 'process' && !engine.ok) {
      notes.push(`scale ${runtime}: skipped, no Docker engine answers (${engine.reason})`);
      continue;
    }
    for (const servers of settings.scaleServers) {
      const refusal = preflight(servers);
      if (refusal !== undefined) {
        notes.push(`scale ${runtime} ${servers} servers: skipped, ${refusal}`);
        runs.push({ runtime, servers, skipped: refusal });
        continue;
      }
      const outcome = await measure({ runtime, servers, distDir, idleMs: settings.scaleIdleMs }).catch((error) => ({ runtime, servers, skipped: `failed: ${error.message}` }));
      runs.push(outcome);
      if ('skipped' in outcome) {
        notes.push(`scale ${runtime} ${servers} servers: ${outcome.skipped}`);
        log(`  ${runtime} ${servers} servers: ${outcome.skipped}`);
        // A runtime this branch does not have (swarm before it is merged) fails the same way at every size.
        if (/unknown|invalid|not one of|allowed choices/i.test(outcome.skipped)) break;
        continue;
      }
      log(
        `  ${runtime} ${servers} servers: up ${outcome.upMs} ms, balancer ${outcome.balancerCpuPercent}% of a core idle, ` +
          `servers ${outcome.serverPssMB} MB PSS (${outcome.serverMemoryMB} MB as the runtime reports it) each, down ${outcome.downMs} ms`,
      );
    }
  }
  return {
    ...(engine.ok ? { engine: `Docker ${engine.version}` } : {}),
    healthIntervalMs: DEFAULT_HEALTH_INTERVAL_MS,
    idleMs: settings.scaleIdleMs,
    runs,
    notes,
  };
}

/** Why this machine should not try `servers` servers now (memory, threads), or undefined. */
function preflight(servers) {
  const meminfo = readFileSyncSafe('/proc/meminfo');
  const availableMB = Number(/MemAvailable:\s+(\d+) kB/.exec(meminfo)?.[1]) / 1024;
  const neededMB = servers * SERVER_BUDGET_MB + 512;
  if (Number.isFinite(availableMB) && neededMB > availableMB * 0.8) {
    return `needs about ${neededMB} MB, and only ${Math.round(availableMB)} MB are available (80 % of it is the limit here)`;
  }
  const threadsMax = Number(readFileSyncSafe('/proc/sys/kernel/threads-max').trim());
  if (Number.isFinite(threadsMax) && threadsMax > 0 && servers * SERVER_THREADS > threadsMax / 4) {
    return `needs about ${servers * SERVER_THREADS} threads, over a quarter of kernel.threads-max (${threadsMax})`;
  }
  return undefined;
}

async function measure({ runtime, servers, distDir, idleMs }) {
  const lab = `scale${process.pid}${runtime.slice(0, 1)}${servers}`;
  const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-bench-scale-'));
  const cli = lblabCli({ distDir, lab, home, cwd: home });
  const port = await freePortPair();
  let upDone = false;
  try {
    const upStarted = performance.now();
    // Bounded: creating and starting a container takes the engine ~0.1-0.5 s each on a busy machine.
    const up = await cli(['up', '--runtime', runtime, '--servers', String(servers), '--app', 'greeting', '--port', String(port)], 60_000 + servers * 3_000);
    upDone = true;
    expectSuccess(up, `up --servers ${servers} --runtime ${runtime}`);
    const upMs = Math.round(performance.now() - upStarted);
    const upReportedMs = Number(/is up in ([\d.]+) s/.exec(up.stdout)?.[1]) * 1000;

    const pids = await memberPids(runtime, lab, home);
    const balancerPid = pids.get('balancer');
    const serverPids = [...pids.entries()].filter(([name]) => name !== 'balancer').map(([, pid]) => pid);
    const before = { at: performance.now(), balancer: cpuMsOfTree(balancerPid), servers: sumCpu(serverPids) };
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const after = { at: performance.now(), balancer: cpuMsOfTree(balancerPid), servers: sumCpu(serverPids) };
    const wallMs = after.at - before.at;
    const percent = (from, to) => (from === undefined || to === undefined ? undefined : round(((to - from) / wallMs) * 100, 1));

    const serverRss = serverPids.map((pid) => memoryOfPid(pid, 'rss')).filter((mb) => mb !== undefined);
    const serverPss = serverPids.map((pid) => memoryOfPid(pid, 'pss')).filter((mb) => mb !== undefined);
    const usage = JSON.parse(expectSuccess(await cli(['stats', '--no-stream', '--json'], 60_000 + servers * 1_000), 'stats').stdout);
    const memoryOf = (role) => usage.members.filter((m) => m.role === role && m.memoryBytes !== undefined).map((m) => m.memoryBytes / 1024 / 1024);
    const serverMemory = memoryOf('server');
    const balancerMemory = memoryOf('balancer');

    const downStarted = performance.now();
    const down = await cli(['down'], 60_000 + servers * 2_000);
    upDone = false;
    expectSuccess(down, 'down');
    const downMs = Math.round(performance.now() - downStarted);
    return {
      runtime,
      servers,
      upMs,
      ...(Number.isFinite(upReportedMs) ? { upReportedMs } : {}),
      balancerCpuPercent: percent(before.balancer, after.balancer),
      serversCpuPercent: percent(before.servers, after.servers),
      healthChecksPerS: round((servers * 1000) / DEFAULT_HEALTH_INTERVAL_MS, 0),
      serverMemoryMB: serverMemory.length === 0 ? undefined : round(median(serverMemory), 1),
      serverRssMB: serverRss.length === 0 ? undefined : round(median(serverRss), 1),
      serverPssMB: serverPss.length === 0 ? undefined : round(median(serverPss), 1),
      balancerMemoryMB: balancerMemory.length === 0 ? undefined : round(balancerMemory[0], 1),
      totalMemoryMB: round([...serverMemory, ...balancerMemory].reduce((sum, mb) => sum + mb, 0), 0),
      pidsFound: pids.size,
      downMs,
    };
  } finally {
    if (upDone) await cli(['down'], 60_000 + servers * 2_000);
    if (runtime !== 'process') {
      const left = await leftoversOf(lab);
      if (left.length > 0) await forceRemoveLab(lab);
      if (runtime === 'swarm') await removeServices(lab);
    }
    await rm(home, { recursive: true, force: true });
  }
}

/** Host pids of the lab's members by name: the process runtime's member files, or each container's State.Pid (the engine is on this machine). */
async function memberPids(runtime, lab, home) {
  const pids = new Map();
  if (runtime === 'process') {
    const dir = path.join(home, lab, 'process');
    for (const file of await readdir(dir)) {
      if (!file.endsWith('.json')) continue;
      const member = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
      pids.set(member.name, member.pid);
    }
    return pids;
  }
  const listed = await runCommand('docker', ['ps', '-q', '--filter', `label=lblab.lab=${lab}`], { timeoutMs: 30_000 });
  const ids = listed.stdout.trim().split('\n').filter(Boolean);
  if (ids.length === 0) return pids;
  const inspected = await runCommand('docker', ['inspect', '--format', '{{index .Config.Labels "lblab.server"}} {{.State.Pid}}', ...ids], { timeoutMs: 60_000 });
  for (const line of inspected.stdout.trim().split('\n')) {
    const [name, pid] = line.split(' ');
    if (name !== '' && Number(pid) > 0) pids.set(name, Number(pid));
  }
  return pids;
}

/**
 * A process's resident memory in MB from /proc: `rss` counts the pages it
 * shares with the other Node processes (the node binary), `pss` shares them
 * out, so the sum of PSS over members is what the lab really holds.
 */
function memoryOfPid(pid, kind) {
  const text = kind === 'rss' ? readFileSyncSafe(`/proc/${pid}/status`) : readFileSyncSafe(`/proc/${pid}/smaps_rollup`);
  const kb = Number((kind === 'rss' ? /VmRSS:\s+(\d+) kB/ : /^Pss:\s+(\d+) kB/m).exec(text)?.[1]);
  return Number.isFinite(kb) ? kb / 1024 : undefined;
}

function sumCpu(pids) {
  let total = 0;
  for (const pid of pids) {
    const ms = cpuMsOfTree(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

async function removeServices(lab) {
  const listed = await runCommand('docker', ['service', 'ls', '-q', '--filter', `label=lblab.lab=${lab}`], { timeoutMs: 30_000 });
  const ids = listed.stdout.trim().split('\n').filter(Boolean);
  if (ids.length > 0) await runCommand('docker', ['service', 'rm', ...ids], { timeoutMs: 60_000 });
}

function readFileSyncSafe(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
