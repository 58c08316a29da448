// The printed report: one table per section, the ratios and the targets.
import { fixed, formatTable } from './table.mjs';

export function formatReport(results) {
  const parts = [];
  parts.push(`lblab bench ${results.mode} — ${results.machine.cpuModel}, ${results.machine.cpus} CPUs, ${results.machine.memoryGB} GB, Node ${results.machine.node}, ${results.startedAt}`);
  parts.push(results.pinning);
  const b = results.balancer;
  if (b !== undefined && !('skipped' in b)) {
    parts.push(`\nBalancer (${b.tool}; median of ${b.rounds} rounds)`);
    parts.push(
      formatTable(
        ['case', 'req/s', 'p50 ms', 'p99 ms', 'errors', '× HAProxy', 'p99 × HAProxy', '× direct', 'CPU µs/req'],
        Object.entries(b.cases).map(([name, c]) => [name, fixed(c.rps, 0), fixed(c.p50Ms, 2), fixed(c.p99Ms, 2), c.errors, fixed(c.rpsVsHaproxy, 2), fixed(c.p99VsHaproxy, 2), fixed(c.rpsVsDirect, 2), fixed(c.cpuUsPerRequest, 1)]),
      ),
    );
  }
  const g = results.generator;
  if (g !== undefined && !('skipped' in g)) {
    parts.push(`\nLoad generator (${g.server}; median of ${g.rounds} rounds)`);
    parts.push(
      formatTable(
        ['tool', 'req/s', 'p50 ms', 'p99 ms', 'errors', '× autocannon', '× wrk', 'CPU µs/req', 'start-up CPU ms', 'CPU µs/req, load only', 'CPU × autocannon'],
        Object.entries(g.cases).map(([name, c]) => [
          name,
          fixed(c.rps, 0),
          fixed(c.p50Ms, 2),
          fixed(c.p99Ms, 2),
          c.errors,
          fixed(c.rpsVsAutocannon, 2),
          fixed(c.rpsVsWrk, 2),
          fixed(c.cpuUsPerRequest, 1),
          fixed(c.startupCpuMs, 0),
          fixed(c.cpuUsPerRequestLoad, 1),
          fixed(c.cpuPerRequestVsAutocannon, 2),
        ]),
      ),
    );
    parts.push('CPU µs/req: /usr/bin/time user + system over requests; load only: minus the tool\'s start-up CPU (median of 3 one-request runs)');
    const m = g.memory;
    parts.push(`lblab generator, ${m.requests.toLocaleString('en')} requests: peak RSS ${m.peakRssMB} MB, ${m.rps} req/s, ${m.durationMs} ms, ${m.errors} errors`);
  }
  const st = results.startup;
  if (st !== undefined && !('skipped' in st)) {
    parts.push(`\nStart-up: ${st.command} (median and fastest of ${st.process.runs} runs)`);
    parts.push(
      formatTable(
        ['measure', 'median ms', 'min ms'],
        [
          ['as a process: spawn to exit (wall)', st.process.medianMs, st.process.minMs],
          ['in-process: import of dist/lblab.js to exit', st.inProcessImport.medianMs, st.inProcessImport.minMs],
          ['CPU of the whole process (user + system)', st.processCpu.medianMs, st.processCpu.minMs],
        ],
      ),
    );
  }
  const l = results.lifecycle;
  if (l !== undefined && !('skipped' in l)) {
    parts.push(`\nLab lifecycle (${l.engine}; ${l.lab}; median ms, runs in brackets)`);
    const row = (name, figure) => [name, figure?.medianMs, figure === undefined ? undefined : figure.runs.join(', ')];
    parts.push(
      formatTable(
        ['step', 'ms', 'runs'],
        [
          row('up, cold: no lblab images (wall)', l.upColdMs),
          row('up, cached images (wall)', l.upCachedMs),
          row('up, cached images (as up reports it)', l.upCachedReportedMs),
          row('kill command (wall)', l.killCommandMs),
          row('kill: container died → marked down', l.killDetectedMs),
          row('revive command start → served by it', l.reviveServedMs),
          row('revive: container started → served', l.reviveStartedToServedMs),
          row('revive command (wall)', l.reviveCommandMs),
          row('down', l.downMs),
        ],
      ),
    );
  }
  const s = results.scenario;
  if (s !== undefined && !('skipped' in s)) {
    parts.push(`\nScenario ${s.scenario}`);
    parts.push(
      formatTable(
        ['runtime', 'wall ms', 'exit', 'charts', 'steps ms (LBLAB_TIMING)'],
        Object.entries(s.runs).map(([runtime, run]) => [runtime, run.wallMs, run.exitCode, run.charts, Object.entries(run.stepsMs ?? {}).map(([step, ms]) => `${step} ${ms}`).join(', ')]),
      ),
    );
  }
  const sc = results.scale;
  if (sc !== undefined && !('skipped' in sc) && sc.runs.length > 0) {
    parts.push(`\nScale of the lab (${sc.engine ?? 'no Docker engine'}; greeting servers, health every ${sc.healthIntervalMs} ms; CPU while idle over ${sc.idleMs / 1000} s, % of one core)`);
    parts.push(
      formatTable(
        ['runtime', 'servers', 'up ms', 'balancer CPU %', 'servers CPU %', 'checks/s', 'PSS MB/server', 'RSS MB/server', 'runtime MB/server', 'balancer MB', 'total MB', 'down ms'],
        sc.runs.map((r) =>
          'skipped' in r
            ? [r.runtime, r.servers, r.skipped.startsWith('failed') ? 'failed, see notes' : 'skipped, see notes', '', '', '', '', '', '', '', '', '']
            : [r.runtime, r.servers, r.upMs, fixed(r.balancerCpuPercent, 1), fixed(r.serversCpuPercent, 1), r.healthChecksPerS, fixed(r.serverPssMB, 1), fixed(r.serverRssMB, 1), fixed(r.serverMemoryMB, 1), fixed(r.balancerMemoryMB, 1), r.totalMemoryMB, r.downMs],
        ),
      ),
    );
  }
  parts.push('\nRatios (medians of pairwise ratios in the same run)');
  parts.push(formatTable(['ratio', 'value'], Object.entries(results.ratios).map(([name, value]) => [name, fixed(value, 3)])));
  parts.push('\nTargets');
  parts.push(formatTable(['target', 'measured', 'met'], results.targets.map((t) => [t.target, t.measured, t.met === undefined ? (t.reported && t.measured !== 'not measured' ? 'reported' : 'n/a') : t.met ? 'yes' : 'NO'])));
  if (results.notes.length > 0) parts.push(`\nNotes\n${results.notes.map((note) => `- ${note}`).join('\n')}`);
  return parts.join('\n');
}
