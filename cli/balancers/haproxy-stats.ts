import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { ServerHealth } from '../../balancer/api-types.js';
import type { ControlServerStats, ControlStats } from './balancer-control.js';

const num = (value: string | undefined): number => {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
};

/** HAProxy's server status as lblab's health: `UP`, `UP 1/2` (going down), `no check`, `DRAIN` still take traffic. */
export function healthOfStatus(status: string): ServerHealth {
  return /^(UP|no check|DRAIN|NOLB)/.test(status) ? 'up' : 'down';
}

/** The backend `servers` of `show stat` as lblab's stats; `nowMs` dates the last health changes. */
export function statsFromShowStat(
  rows: readonly Record<string, string>[],
  options: { readonly algorithm: AlgorithmName; readonly uptimeMs: number; readonly nowMs: number },
): ControlStats {
  const backend = rows.filter((row) => row.pxname === 'servers');
  const servers = backend
    .filter((row) => row.svname !== 'FRONTEND' && row.svname !== 'BACKEND')
    .map((row): ControlServerStats => ({
      name: row.svname ?? '',
      url: row.addr === undefined || row.addr === '' ? '' : `http://${row.addr}`,
      weight: num(row.weight),
      health: healthOfStatus(row.status ?? ''),
      requests: num(row.stot),
      successes: num(row.hrsp_2xx),
      errors: num(row.econ) + num(row.eresp) + num(row.hrsp_5xx),
      inFlight: num(row.scur),
      avgLatencyMs: num(row.rtime),
      // HAProxy keeps an average response time, no percentiles.
      p99LatencyMs: 0,
      healthChangedAt: options.nowMs - num(row.lastchg) * 1000,
    }));
  const total = backend.find((row) => row.svname === 'BACKEND');
  return {
    algorithm: options.algorithm,
    uptimeMs: options.uptimeMs,
    totals: {
      requests: num(total?.stot),
      errors: num(total?.econ) + num(total?.eresp) + num(total?.hrsp_5xx),
      inFlight: num(total?.scur),
    },
    servers,
  };
}
