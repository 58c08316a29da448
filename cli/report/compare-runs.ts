import { balancerLabel } from './balancer-label.js';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { algorithmLabel } from './algorithm-label.js';
import { formatInteger, formatMs, formatRate, formatSeconds, formatShare, formatSigned, NO_DATA } from './format.js';
import { passRow } from './pass-row.js';
import type { RunSummary } from './run-summary.js';
import { compareServerNames } from './compare-server-names.js';
import { formatColumns } from './summary-table.js';

export interface LabelledSummary {
  readonly label: string;
  readonly summary: RunSummary;
}

/** The summary.json of a results folder (or the file itself). */
export async function readRunSummary(location: string): Promise<RunSummary> {
  const isDir = await stat(location).then(
    (info) => info.isDirectory(),
    () => false,
  );
  const file = isDir ? path.join(location, 'summary.json') : location;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LabError('LBLAB_BAD_INPUT', `cannot read ${file}: ${code}; give a results folder (results/<time>-<scenario>) or its summary.json`, {
      cause: error,
      exitCode: 2,
    });
  }
  let summary: RunSummary;
  try {
    summary = JSON.parse(text) as RunSummary;
  } catch (error) {
    throw new LabError('LBLAB_BAD_INPUT', `${file} is not JSON: ${(error as Error).message}`, { cause: error, exitCode: 2 });
  }
  if (typeof summary !== 'object' || summary === null || typeof summary.totals?.requests !== 'number' || !Array.isArray(summary.servers)) {
    throw new LabError('LBLAB_BAD_INPUT', `${file} is not an lblab summary.json (no totals.requests or servers)`, { exitCode: 2 });
  }
  return summary;
}

function percentChange(before: number, after: number): string {
  if (before === 0) return '';
  return ` (${formatSigned(((after - before) / before) * 100, 0)}%)`;
}

function deltaMs(before: number, after: number): string {
  return `${formatSigned(after - before, 2)}${percentChange(before, after)}`;
}

function balancerText(summary: RunSummary): string {
  return balancerLabel(summary);
}

/** Lines warning that two runs differ in what makes them comparable: scenario, runtime, balancer, seed. */
export function comparisonWarnings(A: RunSummary, B: RunSummary): string[] {
  const warnings: string[] = [];
  const check = (what: string, a: string, b: string): void => {
    if (a !== b) warnings.push(`warning: the runs differ in ${what} (A: ${a}, B: ${b}); differences below may come from that`);
  };
  check('scenario', A.scenario, B.scenario);
  check('runtime', A.lab.runtime ?? 'unknown', B.lab.runtime ?? 'unknown');
  check('balancer', balancerText(A), balancerText(B));
  check('seed', String(A.seed ?? 'none'), String(B.seed ?? 'none'));
  return warnings;
}

/**
 * Two runs side by side: warnings when they are not alike, totals with their
 * changes (B - A), then per server requests, share (change in percentage points) and p99.
 */
export function formatRunComparison(a: LabelledSummary, b: LabelledSummary): string {
  const A = a.summary;
  const B = b.summary;
  const ms = (summary: RunSummary, value: number | undefined): string => formatMs(value, summary.totals.requests > 0);
  const rows: string[][] = [
    ['', 'A', 'B', 'change'],
    ['run', a.label, b.label, ''],
    ['scenario', A.scenario, B.scenario, ''],
    ['runtime', A.lab.runtime ?? 'unknown', B.lab.runtime ?? 'unknown', ''],
    ['balancer', balancerText(A), balancerText(B), ''],
    ['algorithm', algorithmLabel(A.lab), algorithmLabel(B.lab), ''],
    ['seed', String(A.seed ?? 'none'), String(B.seed ?? 'none'), ''],
    ['duration', formatSeconds(A.durationMs), formatSeconds(B.durationMs), `${formatSigned((B.durationMs - A.durationMs) / 1000, 1)}s`],
    ['requests', formatInteger(A.totals.requests), formatInteger(B.totals.requests), formatSigned(B.totals.requests - A.totals.requests, 0)],
    ['errors', formatInteger(A.totals.errors), formatInteger(B.totals.errors), formatSigned(B.totals.errors - A.totals.errors, 0)],
    ['req/s', formatRate(A.totals.ratePerSec), formatRate(B.totals.ratePerSec), `${formatSigned(B.totals.ratePerSec - A.totals.ratePerSec, 1)}${percentChange(A.totals.ratePerSec, B.totals.ratePerSec)}`],
    ['p50 ms', ms(A, A.latency.p50Ms), ms(B, B.latency.p50Ms), deltaMs(A.latency.p50Ms, B.latency.p50Ms)],
    ['p90 ms', ms(A, A.latency.p90Ms), ms(B, B.latency.p90Ms), deltaMs(A.latency.p90Ms, B.latency.p90Ms)],
    ['p99 ms', ms(A, A.latency.p99Ms), ms(B, B.latency.p99Ms), deltaMs(A.latency.p99Ms, B.latency.p99Ms)],
    ['max ms', ms(A, A.latency.maxMs), ms(B, B.latency.maxMs), deltaMs(A.latency.maxMs, B.latency.maxMs)],
  ];
  const lines = [...comparisonWarnings(A, B), ...formatColumns(rows, ['left', 'right', 'right', 'right'])];

  const names = [...new Set([...A.servers, ...B.servers].map((server) => server.name))].sort(compareServerNames);
  const serverRows: string[][] = [['server', 'A requests', 'A share', 'A p99 ms', 'B requests', 'B share', 'B p99 ms', 'share change', 'p99 change']];
  for (const name of names) {
    const sa = A.servers.find((server) => server.name === name);
    const sb = B.servers.find((server) => server.name === name);
    const served = (server: typeof sa): boolean => server !== undefined && server.requests > 0;
    serverRows.push([
      name,
      sa === undefined ? NO_DATA : formatInteger(sa.requests),
      sa === undefined ? NO_DATA : formatShare(sa.share),
      formatMs(sa?.p99Ms, served(sa)),
      sb === undefined ? NO_DATA : formatInteger(sb.requests),
      sb === undefined ? NO_DATA : formatShare(sb.share),
      formatMs(sb?.p99Ms, served(sb)),
      `${formatSigned(((sb?.share ?? 0) - (sa?.share ?? 0)) * 100, 1)} pp`,
      served(sa) && served(sb) && sa !== undefined && sb !== undefined ? deltaMs(sa.p99Ms, sb.p99Ms) : NO_DATA,
    ]);
  }
  lines.push('', ...formatColumns(serverRows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));
  return `${lines.join('\n')}\n`;
}

/** One row per pass of an `algorithms` run: requests, req/s, errors, latency and each server's share. */
export function formatPassTable(passes: readonly RunSummary[]): string {
  const rows = passes.map(passRow);
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.shares)))].sort(compareServerNames);
  const table: string[][] = [['algorithm', 'requests', 'req/s', 'errors', 'p50 ms', 'p99 ms', 'p99.9 ms', ...names]];
  for (const row of rows) {
    const hasData = row.requests > 0;
    table.push([
      row.algorithm,
      formatInteger(row.requests),
      formatRate(row.ratePerSec),
      formatInteger(row.errors),
      formatMs(row.p50Ms, hasData),
      formatMs(row.p99Ms, hasData),
      formatMs(row.p999Ms, hasData),
      ...names.map((name) => formatShare(row.shares[name] ?? 0)),
    ]);
  }
  return `${formatColumns(table, ['left', ...table[0]!.slice(1).map(() => 'right' as const)]).join('\n')}\n`;
}
