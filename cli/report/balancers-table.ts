import type { RunSummary } from './run-summary.js';
import { formatTable } from './text-table.js';

/** One balancer's figures in a `balancers` run. */
export interface BalancerRow {
  readonly balancer: string;
  readonly version: string;
  /** From each kill to the balancer marking that server down, ms; undefined when it reported no health change (nginx: passive only). */
  readonly detectionMs: readonly number[] | undefined;
  /** Responses >= 500 or none, as clients saw them. */
  readonly errors: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly ratePerSec: number;
}

/** Time from each `kill` to the first `down` of that server after it (pure). */
export function detectionTimesMs(summary: Pick<RunSummary, 'actions' | 'healthChanges'>): number[] | undefined {
  const kills = summary.actions.filter((action) => action.action === 'kill');
  const times: number[] = [];
  for (const kill of kills) {
    for (const server of kill.target.split(',').map((name) => name.trim())) {
      const down = summary.healthChanges.find((change) => change.server === server && change.health !== 'up' && change.atMs >= kill.atMs);
      if (down !== undefined) times.push(down.atMs - kill.atMs);
    }
  }
  return times.length === 0 ? undefined : times;
}

/** A row per pass; `balancer` on each pass summary names the balancer that ran it. */
export function balancerRows(passes: readonly RunSummary[]): BalancerRow[] {
  return passes.map((pass) => ({
    balancer: pass.balancer?.kind ?? 'lblab',
    version: pass.balancer?.version ?? '',
    detectionMs: detectionTimesMs(pass),
    errors: pass.totals.errors,
    requests: pass.totals.requests,
    p50Ms: pass.latency.p50Ms,
    p99Ms: pass.latency.p99Ms,
    ratePerSec: pass.totals.ratePerSec,
  }));
}

function detectionCell(row: BalancerRow): string {
  if (row.detectionMs === undefined) return row.balancer === 'nginx' ? 'n/a (passive)' : 'not seen';
  return row.detectionMs.map((ms) => `${Math.round(ms)}`).join(', ');
}

/** The comparison table as text: detection time, errors leaked to clients, p50/p99, req/s per balancer. */
export function formatBalancerTable(rows: readonly BalancerRow[]): string {
  return formatTable(
    ['BALANCER', 'VERSION', 'DETECTION MS', 'ERRORS LEAKED', 'REQUESTS', 'P50 MS', 'P99 MS', 'REQ/S'],
    rows.map((row) => [row.balancer, row.version, detectionCell(row), row.errors, row.requests, row.p50Ms.toFixed(1), row.p99Ms.toFixed(1), row.ratePerSec.toFixed(1)]),
  );
}

/** balancers.md: the table, and what its columns mean. */
export function balancersMarkdown(scenario: string, rows: readonly BalancerRow[]): string {
  return [
    `# ${scenario}: the same workload through each balancer`,
    '',
    '```',
    formatBalancerTable(rows),
    '```',
    '',
    '- DETECTION MS: from each kill to the balancer reporting that server down (HAProxy: `show stat` polled every 100 ms; lblab: its event stream).',
    '  nginx open source keeps no health state: it notices failures on real requests only (max_fails), so there is nothing to time.',
    '- ERRORS LEAKED: responses with status >= 500, or none, as the load generator saw them.',
    '- The comparison chart (algorithms.png) shows each balancer\'s shares and p99 side by side.',
    '',
  ].join('\n');
}
