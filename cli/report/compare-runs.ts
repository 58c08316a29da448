import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { formatInteger, formatShare } from './format.js';
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

function signed(value: number, decimals: number): string {
  const rounded = Number(value.toFixed(decimals));
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(decimals)}`;
}

function percentChange(before: number, after: number): string {
  if (before === 0) return '';
  return ` (${signed(((after - before) / before) * 100, 0)}%)`;
}

function deltaMs(before: number, after: number): string {
  return `${signed(after - before, 2)}${percentChange(before, after)}`;
}

/**
 * Two runs side by side: totals with their changes (B - A), then per server
 * requests, share (change in percentage points) and p99.
 */
export function formatRunComparison(a: LabelledSummary, b: LabelledSummary): string {
  const A = a.summary;
  const B = b.summary;
  const rows: string[][] = [
    ['', 'A', 'B', 'change'],
    ['run', a.label, b.label, ''],
    ['scenario', A.scenario, B.scenario, ''],
    ['algorithm', A.lab.algorithm, B.lab.algorithm, ''],
    ['requests', formatInteger(A.totals.requests), formatInteger(B.totals.requests), signed(B.totals.requests - A.totals.requests, 0)],
    ['errors', formatInteger(A.totals.errors), formatInteger(B.totals.errors), signed(B.totals.errors - A.totals.errors, 0)],
    ['req/s', String(A.totals.ratePerSec), String(B.totals.ratePerSec), `${signed(B.totals.ratePerSec - A.totals.ratePerSec, 1)}${percentChange(A.totals.ratePerSec, B.totals.ratePerSec)}`],
    ['p50 ms', String(A.latency.p50Ms), String(B.latency.p50Ms), deltaMs(A.latency.p50Ms, B.latency.p50Ms)],
    ['p99 ms', String(A.latency.p99Ms), String(B.latency.p99Ms), deltaMs(A.latency.p99Ms, B.latency.p99Ms)],
  ];
  const lines = formatColumns(rows, ['left', 'right', 'right', 'right']);

  const names = [...new Set([...A.servers, ...B.servers].map((server) => server.name))].sort(compareServerNames);
  const serverRows: string[][] = [['server', 'A requests', 'A share', 'A p99 ms', 'B requests', 'B share', 'B p99 ms', 'share change', 'p99 change']];
  for (const name of names) {
    const sa = A.servers.find((server) => server.name === name);
    const sb = B.servers.find((server) => server.name === name);
    serverRows.push([
      name,
      sa === undefined ? '-' : formatInteger(sa.requests),
      sa === undefined ? '-' : formatShare(sa.share),
      sa === undefined ? '-' : String(sa.p99Ms),
      sb === undefined ? '-' : formatInteger(sb.requests),
      sb === undefined ? '-' : formatShare(sb.share),
      sb === undefined ? '-' : String(sb.p99Ms),
      `${signed(((sb?.share ?? 0) - (sa?.share ?? 0)) * 100, 1)} pp`,
      sa === undefined || sb === undefined ? '-' : deltaMs(sa.p99Ms, sb.p99Ms),
    ]);
  }
  lines.push('', ...formatColumns(serverRows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']));
  return `${lines.join('\n')}\n`;
}

/** One row per pass of an `algorithms` run: requests, errors, latency and each server's share. */
export function formatPassTable(passes: readonly RunSummary[]): string {
  const names = [...new Set(passes.flatMap((pass) => pass.servers.map((server) => server.name)))].sort(compareServerNames);
  const rows: string[][] = [['algorithm', 'requests', 'errors', 'p50 ms', 'p99 ms', ...names]];
  for (const pass of passes) {
    rows.push([
      pass.lab.algorithm,
      formatInteger(pass.totals.requests),
      formatInteger(pass.totals.errors),
      String(pass.latency.p50Ms),
      String(pass.latency.p99Ms),
      ...names.map((name) => formatShare(pass.servers.find((server) => server.name === name)?.share ?? 0)),
    ]);
  }
  return `${formatColumns(rows, ['left', 'right', 'right', 'right', 'right', ...names.map(() => 'right' as const)]).join('\n')}\n`;
}
