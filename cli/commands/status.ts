import type { Command } from 'commander';
import { labFlag } from '../errors.js';
import { formatTable } from '../report/text-table.js';
import { formatBytes } from '../report/format-bytes.js';
import { openLab } from '../lab/open-lab.js';
import { labStatus, type LabStatus, type ServerStatus } from '../lab/status.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';

/** `ejected (4.2 s left)` while ejected; the health otherwise. */
function healthCell(health: string, ejectedUntil: number | undefined, nowMs: number): string {
  if (health !== 'ejected' || ejectedUntil === undefined) return health;
  return `ejected (${(Math.max(0, ejectedUntil - nowMs) / 1000).toFixed(1)} s left)`;
}

function resilienceLine(status: LabStatus): string {
  const r = status.resilience;
  if (r === undefined) return '';
  return (
    `\nretries ${r.retries} (${r.retryBudgetRefusals} refused by the budget)  ` +
    `fan-out ${r.fanoutSuccesses} answered, ${r.fanoutFailures} failed (${r.fanoutRounds} rounds)  ejections ${r.ejections}`
  );
}

/** The runtime's fact and the balancer's, side by side: `running`, `running, not registered`, `registered, no such member`. */
function stateCell(server: ServerStatus, balancerAnswers: boolean): string {
  if (!server.member) return 'registered, no such member';
  if (!server.registered && balancerAnswers) return `${server.state}, not registered`;
  return server.state;
}

function balancerLine(status: LabStatus): string {
  const b = status.balancer;
  const head = `balancer  ${b.version ?? b.kind}  ${b.url}  admin ${b.adminUrl}  ${b.state}`;
  const flag = labFlag(status.lab);
  if (b.state === 'stopped' || b.state === 'missing') {
    return `${head}: the lab serves nothing; bring it back with \`lblab revive balancer${flag}\``;
  }
  if (b.state === 'paused') return `${head}: the lab serves nothing; resume it with \`lblab unpause balancer${flag}\``;
  const line = b.reachable ? head : `${head}  (${b.adminError ?? 'admin API not answering'})`;
  return b.kind === 'nginx'
    ? `${line}\nhealth    unknown: nginx checks passively (max_fails); per-server counts come from X-Server-Id in \`lblab load\` and runs`
    : line;
}

/** `workers: 2`, with what it means for the algorithms (balancer/README.md, "Several workers"). */
function workersLine(status: LabStatus): string {
  if (status.workers === undefined) return '';
  return (
    `\nworkers: ${status.workers} (processes sharing the data port; each balances on its own: round-robin is exact per worker, ` +
    `not across them, least-connections sees its worker's connections; consistent-hash and maglev agree in every worker)`
  );
}

/** A line on what to do about servers the runtime and the balancer disagree on. */
function reconcileHint(status: LabStatus): string {
  const flag = labFlag(status.lab);
  const lines: string[] = [];
  const unregistered = status.servers.filter((s) => s.member && !s.registered && status.balancer.reachable).map((s) => s.name);
  const strangers = status.servers.filter((s) => !s.member).map((s) => s.name);
  if (unregistered.length > 0) {
    lines.push(`not registered: ${unregistered.join(', ')}; register with \`lblab add ${unregistered.join(' ')}${flag}\` or remove with \`lblab rm ${unregistered.join(' ')}${flag}\``);
  }
  if (strangers.length > 0) {
    lines.push(`registered but no member of the lab: ${strangers.join(', ')}; deregister with \`lblab rm ${strangers.join(' ')}${flag}\``);
  }
  return lines.length === 0 ? '' : `\n\n${lines.join('\n')}`;
}

/** Tcp mode: `tcp mode (one server per connection): 12 connections, 2 open, 0 waiting, 0 refused; 3.1 KiB to servers, 9.8 KiB to clients`. */
function connectionsLine(status: LabStatus): string {
  const c = status.connections;
  if (status.mode !== 'tcp' || c === undefined) return '';
  return (
    `\ntcp mode (one server per connection): ${c.total} connections, ${c.open} open, ${c.queued} waiting, ${c.refused} refused; ` +
    `${formatBytes(c.bytesToServers)} to servers, ${formatBytes(c.bytesToClients)} to clients`
  );
}

function tcpTable(status: LabStatus, nowMs: number): string {
  return formatTable(
    ['SERVER', 'STATE', 'HEALTH', 'CONNECTIONS', 'OPEN', 'BYTES TO SERVER', 'BYTES TO CLIENTS'],
    status.servers.map((s) => [
      s.name,
      stateCell(s, status.balancer.reachable),
      s.registered || s.health === 'unknown' ? healthCell(s.health, s.ejectedUntil, nowMs) : '-',
      s.connections ?? 0,
      s.openConnections ?? 0,
      formatBytes(s.bytesToServer ?? 0),
      formatBytes(s.bytesToClient ?? 0),
    ]),
  );
}

export function formatStatus(status: LabStatus, nowMs: number = Date.now()): string {
  if (status.mode === 'tcp') {
    return (
      `lab ${status.lab}  runtime ${status.runtime}  algorithm ${status.algorithm}\n` +
      `${balancerLine(status)}${workersLine(status)}${connectionsLine(status)}\n\n${tcpTable(status, nowMs)}` +
      reconcileHint(status)
    );
  }
  // The node column only where the runtime places servers on nodes (swarm).
  const nodes = status.servers.some((s) => s.node !== undefined);
  const table = formatTable(
    ['SERVER', ...(nodes ? ['NODE'] : []), 'STATE', 'HEALTH', 'REQUESTS', 'ERRORS', 'IN FLIGHT', 'AVG MS', 'P99 MS'],
    status.servers.map((s) => [
      s.name,
      ...(nodes ? [s.node ?? '-'] : []),
      stateCell(s, status.balancer.reachable),
      s.registered || s.health === 'unknown' ? healthCell(s.health, s.ejectedUntil, nowMs) : '-',
      s.requests,
      s.errors,
      s.inFlight,
      // A server that answered nothing has no latency, not a latency of 0.
      s.requests === 0 ? '–' : s.avgLatencyMs.toFixed(1),
      s.requests === 0 ? '–' : s.p99LatencyMs.toFixed(1),
    ]),
  );
  return (
    `lab ${status.lab}  runtime ${status.runtime}  algorithm ${status.algorithm}\n${balancerLine(status)}${workersLine(status)}${resilienceLine(status)}\n\n${table}` +
    reconcileHint(status)
  );
}

export function registerStatus(program: Command, io: CommandIo): void {
  program
    .command('status')
    .description("show the balancer and each server's state, health and requests served")
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const status = await labStatus(await openLab(labOf(command)));
      io.out(flags.json === true ? JSON.stringify(status, null, 2) : formatStatus(status));
    });
}
