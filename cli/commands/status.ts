import type { Command } from 'commander';
import { formatTable } from '../report/text-table.js';
import { formatBytes } from '../report/format-bytes.js';
import { openLab } from '../lab/open-lab.js';
import { labStatus, type LabStatus } from '../lab/status.js';
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
      s.state,
      s.registered || s.health === 'unknown' ? healthCell(s.health, s.ejectedUntil, nowMs) : 'not registered',
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
      `balancer  ${status.balancer.url}  admin ${status.balancer.adminUrl}  ${status.balancer.state}${connectionsLine(status)}\n\n${tcpTable(status, nowMs)}`
    );
  }
  const balancerLine =
    `balancer  ${status.balancer.version ?? status.balancer.kind}  ${status.balancer.url}  admin ${status.balancer.adminUrl}  ${status.balancer.state}` +
    (status.balancer.reachable ? '' : `  (${status.balancer.adminError ?? 'admin API not answering'})`) +
    (status.balancer.kind === 'nginx' ? '\nhealth    unknown: nginx checks passively (max_fails); per-server counts come from X-Server-Id in `lblab load` and runs' : '');
  const table = formatTable(
    ['SERVER', 'STATE', 'HEALTH', 'REQUESTS', 'ERRORS', 'IN FLIGHT', 'AVG MS', 'P99 MS'],
    status.servers.map((s) => [
      s.name,
      s.state,
      s.registered || s.health === 'unknown' ? healthCell(s.health, s.ejectedUntil, nowMs) : 'not registered',
      s.requests,
      s.errors,
      s.inFlight,
      s.avgLatencyMs.toFixed(1),
      s.p99LatencyMs.toFixed(1),
    ]),
  );
  return `lab ${status.lab}  runtime ${status.runtime}  algorithm ${status.algorithm}\n${balancerLine}${resilienceLine(status)}\n\n${table}`;
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
