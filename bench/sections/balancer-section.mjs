// Balancer throughput and latency: wrk (same threads, connections, duration
// and request script for every case) against each balancer in front of the
// same 3 servers, A B C ... A B C ... after a warm-up; medians and ratios to
// HAProxy and to direct measured in the same round.
import path from 'node:path';
import { startHaproxy, startLblabBalancer, startNaiveProxy, startNginx, unpinnedServers } from '../lib/balancer-launchers.mjs';
import { cpuMsOfTree } from '../lib/proc-cpu.mjs';
import { medianOfRounds, medianPairwiseRatio } from '../lib/stats.mjs';
import { runWrk } from '../lib/wrk.mjs';

export const BALANCER_CASES = [
  'direct',
  'lblab round-robin',
  'lblab least-connections',
  'lblab consistent-hash',
  'haproxy round-robin',
  'nginx round-robin',
  'naive node proxy',
  // Across cores: not pinned, so a second worker or thread may use the other CPU (shared with wrk and the servers).
  'lblab workers 1 (unpinned)',
  'lblab workers 2 (unpinned)',
  'haproxy nbthread 1 (unpinned)',
  'haproxy nbthread 2 (unpinned)',
];

/** Cases whose second one runs two workers or threads where the first runs one. */
const SCALING_PAIRS = {
  lblabWorkers: ['lblab workers 1 (unpinned)', 'lblab workers 2 (unpinned)'],
  haproxyThreads: ['haproxy nbthread 1 (unpinned)', 'haproxy nbthread 2 (unpinned)'],
};

/**
 * @param {{ group, pinning, servers, settings, distDir, benchDir, tempDir, log }} context
 */
export async function runBalancerSection({ group, pinning, servers, settings, distDir, benchDir, tempDir, log }) {
  const notes = [];
  const targets = new Map();
  const first = servers[0];
  targets.set('direct', { url: first.url, pid: first.pid, note: `one server (${first.name}), the ceiling` });
  for (const algorithm of ['round-robin', 'least-connections', 'consistent-hash']) {
    targets.set(`lblab ${algorithm}`, await startLblabBalancer(group, pinning, { distDir, servers, algorithm }));
  }
  for (const [name, start] of [
    ['haproxy round-robin', startHaproxy],
    ['nginx round-robin', startNginx],
  ]) {
    const started = await start(group, pinning, { tempDir, servers }).catch((error) => ({ skipped: `failed to start: ${error.message}` }));
    if ('skipped' in started) notes.push(`${name}: skipped, ${started.skipped}`);
    else targets.set(name, started);
  }
  targets.set('naive node proxy', await startNaiveProxy(group, pinning, { benchDir, servers }));
  const free = unpinnedServers(pinning);
  for (const workers of [1, 2]) {
    targets.set(`lblab workers ${workers} (unpinned)`, await startLblabBalancer(group, free, { distDir, servers, algorithm: 'round-robin', workers }));
  }
  for (const threads of [1, 2]) {
    const started = await startHaproxy(group, free, { tempDir, servers, threads }).catch((error) => ({ skipped: `failed to start: ${error.message}` }));
    if ('skipped' in started) notes.push(`haproxy nbthread ${threads} (unpinned): skipped, ${started.skipped}`);
    else targets.set(`haproxy nbthread ${threads} (unpinned)`, started);
  }

  const wrkOptions = {
    connections: settings.connections,
    threads: settings.wrkThreads,
    script: path.join(benchDir, 'wrk-keys.lua'),
  };
  const wrap = (command, args) => pinning.wrap('load', command, args);
  const cases = BALANCER_CASES.filter((name) => targets.has(name));

  log(`  warm-up: ${settings.warmupS} s per case`);
  for (const name of cases) {
    await runWrk({ ...wrkOptions, url: `${targets.get(name).url}/home`, durationS: settings.warmupS }, wrap);
  }
  const rounds = Object.fromEntries(cases.map((name) => [name, []]));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const name of cases) {
      const target = targets.get(name);
      const cpuBeforeMs = cpuMsOfTree(target.pid);
      const figures = await runWrk({ ...wrkOptions, url: `${target.url}/home`, durationS: settings.durationS }, wrap);
      const cpuAfterMs = cpuMsOfTree(target.pid);
      // CPU of the balancer process alone (of the server, for direct), per request served.
      const cpuUsPerRequest = cpuBeforeMs === undefined || cpuAfterMs === undefined || figures.requests === 0 ? undefined : ((cpuAfterMs - cpuBeforeMs) * 1000) / figures.requests;
      rounds[name].push({ ...figures, cpuUsPerRequest });
    }
    log(`  round ${round}/${settings.rounds}: ${cases.map((name) => `${name} ${Math.round(rounds[name].at(-1).rps)}`).join(', ')}`);
  }

  const results = {};
  for (const name of cases) {
    results[name] = {
      ...medianOfRounds(rounds[name], ['rps', 'p50Ms', 'p90Ms', 'p99Ms', 'errors', 'cpuUsPerRequest']),
      rpsVsHaproxy: medianPairwiseRatio(rounds[name], rounds['haproxy round-robin'], 'rps'),
      p99VsHaproxy: medianPairwiseRatio(rounds[name], rounds['haproxy round-robin'], 'p99Ms'),
      rpsVsDirect: medianPairwiseRatio(rounds[name], rounds.direct, 'rps'),
      cpuPerRequestVsHaproxy: medianPairwiseRatio(rounds[name], rounds['haproxy round-robin'], 'cpuUsPerRequest'),
      rounds: rounds[name],
      ...(targets.get(name).version === undefined ? {} : { version: targets.get(name).version }),
    };
  }
  // workers 2 req/s ÷ workers 1 (and nbthread 2 ÷ 1), median of the rounds' ratios.
  const scaling = {};
  for (const [name, [one, two]] of Object.entries(SCALING_PAIRS)) {
    if (rounds[one] !== undefined && rounds[two] !== undefined) scaling[name] = medianPairwiseRatio(rounds[two], rounds[one], 'rps');
  }
  if (Object.keys(scaling).length > 0) {
    const text = (value) => (value === undefined ? 'not measured' : `${value.toFixed(2)}×`);
    notes.push(
      `scaling from 1 to 2 (unpinned, ${pinning.enabled ? 'wrk still pinned, ' : ''}sharing the CPUs with the servers): ` +
        `lblab workers ${text(scaling.lblabWorkers)}, HAProxy nbthread ${text(scaling.haproxyThreads)} req/s`,
    );
  }
  return {
    scaling,
    tool: `wrk -t${settings.wrkThreads} -c${settings.connections} -d${settings.durationS}s --latency -s bench/wrk-keys.lua (GET /home?id=1..1000)`,
    warmupS: settings.warmupS,
    rounds: settings.rounds,
    cases: results,
    notes,
  };
}
