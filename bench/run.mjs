// npm run bench: the balancer against HAProxy, nginx and a naive proxy; the
// load generator against autocannon and wrk; the lab lifecycle on Docker; a
// scenario end to end. Prints a table, writes bench/results/<time>.json.
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCpuPinning } from './lib/cpu-pinning.mjs';
import { ProcessGroup } from './lib/process-group.mjs';
import { formatReport } from './lib/report.mjs';
import { runChecked } from './lib/run-command.mjs';
import { startSampleServers } from './lib/sample-servers.mjs';
import { readSettings, USAGE } from './lib/settings.mjs';
import { checkTargets } from './lib/targets.mjs';
import { runBalancerSection } from './sections/balancer-section.mjs';
import { runFidelitySection } from './sections/fidelity-section.mjs';
import { runGeneratorSection } from './sections/generator-section.mjs';
import { runLifecycleSection } from './sections/lifecycle-section.mjs';
import { runScaleSection } from './sections/scale-section.mjs';
import { runScenarioSection } from './sections/scenario-section.mjs';
import { runStartupSection } from './sections/startup-section.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(benchDir);
const distDir = path.join(rootDir, 'dist');
const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  const settings = readSettings(process.argv.slice(2), process.env);
  if (settings.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (settings.build || !['lblab.js', 'balancer.js', 'sample-server.js'].every((file) => existsSync(path.join(distDir, file)))) {
    log('building dist/ (npm run build)');
    await runChecked('npm', ['run', 'build'], { cwd: rootDir, timeoutMs: 120_000 });
  }
  const startedAt = new Date();
  const pinning = createCpuPinning();
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'lblab-bench-'));
  const servers = new ProcessGroup();
  const balancers = new ProcessGroup();
  const killAll = () => {
    balancers.killAllNow();
    servers.killAllNow();
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      killAll();
      process.exit(130);
    });
  }
  const watchdog = setTimeout(() => {
    log(`bench: still running after ${settings.watchdogMs} ms; stopping everything`);
    killAll();
    process.exit(1);
  }, settings.watchdogMs);
  watchdog.unref();

  const results = {
    mode: settings.mode,
    startedAt: startedAt.toISOString(),
    machine: machineInfo(),
    dist: Object.fromEntries(['balancer.js', 'lblab.js'].map((file) => [file, statSync(path.join(distDir, file)).mtime.toISOString()])),
    pinning: pinning.note,
    settings,
    notes: [],
  };
  const sectionFailed = (name, error) => {
    results.notes.push(`${name}: failed, ${error.message}`);
    return { skipped: `failed: ${error.message}` };
  };
  try {
    if (settings.sections.includes('startup')) {
      log('startup: lblab --help as a process and in-process');
      results.startup = await runStartupSection({ settings, distDir, log }).catch((error) => sectionFailed('startup', error));
    }
    const needServers = settings.sections.includes('balancer') || settings.sections.includes('generator');
    const sampleServers = needServers ? await startSampleServers(servers, pinning, { distDir }) : [];
    if (settings.sections.includes('balancer')) {
      log('balancer: wrk against direct, lblab (3 algorithms), HAProxy, nginx, naive proxy');
      results.balancer = await runBalancerSection({ group: balancers, pinning, servers: sampleServers, settings, distDir, benchDir, tempDir, log }).catch((error) => sectionFailed('balancer', error));
      await balancers.stopAll();
    }
    if (settings.sections.includes('generator')) {
      log('generator: lblab, autocannon, wrk against one server');
      results.generator = await runGeneratorSection({ pinning, servers: sampleServers, settings, benchDir, log }).catch((error) => sectionFailed('generator', error));
    }
    await servers.stopAll();
    if (settings.sections.includes('lifecycle')) {
      log('lifecycle: lblab up/kill/revive/down on Docker');
      results.lifecycle = await runLifecycleSection({ settings, distDir, log }).catch((error) => sectionFailed('lifecycle', error));
    }
    if (settings.sections.includes('scenario')) {
      log('scenario: lblab run distribution-10k');
      results.scenario = await runScenarioSection({ settings, distDir, log }).catch((error) => sectionFailed('scenario', error));
    }
    if (settings.sections.includes('scale')) {
      log(`scale: up/idle/down of ${settings.scaleServers.join(', ')} servers on ${settings.scaleRuntimes.join(', ')}`);
      results.scale = await runScaleSection({ settings, distDir, log }).catch((error) => sectionFailed('scale', error));
    }
    if (settings.sections.includes('fidelity')) {
      log(`fidelity: kills and hangs under 300 req/s, bursts of 5,000 connections (${settings.fidelityRuntime} runtime)`);
      results.fidelity = await runFidelitySection({ settings, distDir, log }).catch((error) => sectionFailed('fidelity', error));
    }
  } finally {
    await balancers.stopAll();
    await servers.stopAll();
    await rm(tempDir, { recursive: true, force: true });
  }
  for (const [name, section] of Object.entries({ startup: results.startup, balancer: results.balancer, generator: results.generator, lifecycle: results.lifecycle, scenario: results.scenario, scale: results.scale, fidelity: results.fidelity })) {
    if (section === undefined) continue;
    if ('skipped' in section && !section.skipped.startsWith('failed')) results.notes.push(`${name}: skipped, ${section.skipped}`);
    for (const note of section.notes ?? []) results.notes.push(note);
  }
  results.ratios = ratiosOf(results);
  results.targets = checkTargets(results);
  results.finishedAt = new Date().toISOString();
  results.wallS = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
  results.notes.push(`wall time ${results.wallS} s`);

  const resultsDir = path.join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${formatReport(results)}\n\nwrote ${path.relative(rootDir, file)}\n`);
}

function ratiosOf(results) {
  const b = results.balancer?.cases ?? {};
  const g = results.generator?.cases ?? {};
  return {
    balancerVsHaproxy: b['lblab round-robin']?.rpsVsHaproxy,
    balancerVsDirect: b['lblab round-robin']?.rpsVsDirect,
    balancerP99VsHaproxy: b['lblab round-robin']?.p99VsHaproxy,
    balancerCpuPerRequestVsHaproxy: b['lblab round-robin']?.cpuPerRequestVsHaproxy,
    leastConnectionsVsHaproxy: b['lblab least-connections']?.rpsVsHaproxy,
    consistentHashVsHaproxy: b['lblab consistent-hash']?.rpsVsHaproxy,
    nginxVsHaproxy: b['nginx round-robin']?.rpsVsHaproxy,
    naiveProxyVsHaproxy: b['naive node proxy']?.rpsVsHaproxy,
    haproxyVsDirect: b['haproxy round-robin']?.rpsVsDirect,
    workersScaling: results.balancer?.scaling?.lblabWorkers,
    haproxyThreadScaling: results.balancer?.scaling?.haproxyThreads,
    generatorVsAutocannon: g['lblab generator']?.rpsVsAutocannon,
    generatorVsWrk: g['lblab generator']?.rpsVsWrk,
    generatorCpuPerRequestVsAutocannon: g['lblab generator']?.cpuPerRequestVsAutocannon,
  };
}

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    cpus: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

main().catch((error) => {
  log(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
