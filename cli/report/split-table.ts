// The per-server split of passes that differ in balancer mode and connection
// policy (l4-vs-l7): share of requests per server, and in tcp mode the
// connections behind them.
import { algorithmLabel } from './algorithm-label.js';
import { compareServerNames } from './compare-server-names.js';
import { formatInteger, formatShare } from './format.js';
import type { RunSummary } from './run-summary.js';
import { formatColumns } from './summary-table.js';

export interface SplitRow {
  readonly pass: string;
  readonly mode: string;
  readonly connection: string;
  readonly requests: number;
  /** Relayed connections in tcp mode; undefined in http mode. */
  readonly connections: number | undefined;
  /** Per server (in `servers` order): share of the pass's requests and, in tcp mode, its connections. */
  readonly cells: readonly { readonly share: number; readonly connections: number | undefined }[];
}

export interface SplitTable {
  readonly servers: readonly string[];
  readonly rows: readonly SplitRow[];
}

/** The real servers of the passes (not the `(none)` and `(no response)` buckets), and one row per pass. Pure. */
export function splitTable(passes: readonly RunSummary[]): SplitTable {
  const servers = [...new Set(passes.flatMap((pass) => pass.servers.map((server) => server.name)))]
    .filter((name) => !name.startsWith('('))
    .sort(compareServerNames);
  const rows = passes.map((pass): SplitRow => ({
    pass: pass.lab.pass ?? algorithmLabel(pass.lab),
    mode: pass.lab.mode ?? 'http',
    connection: pass.lab.connection ?? 'keep-alive',
    requests: pass.totals.requests,
    connections: pass.connections?.total,
    cells: servers.map((name) => ({
      share: pass.servers.find((server) => server.name === name)?.share ?? 0,
      connections: pass.connections === undefined ? undefined : (pass.connections.byServer[name] ?? 0),
    })),
  }));
  return { servers, rows };
}

function cellText(cell: SplitRow['cells'][number]): string {
  return cell.connections === undefined ? formatShare(cell.share) : `${formatShare(cell.share)} (${formatInteger(cell.connections)} conn)`;
}

function rowCells(row: SplitRow): string[] {
  return [
    row.pass,
    row.mode,
    row.connection,
    formatInteger(row.requests),
    row.connections === undefined ? '-' : formatInteger(row.connections),
    ...row.cells.map(cellText),
  ];
}

function header(table: SplitTable): string[] {
  return ['pass', 'mode', 'connection', 'requests', 'connections', ...table.servers];
}

/** For the terminal: columns padded, numbers right-aligned. */
export function formatSplitTable(passes: readonly RunSummary[]): string {
  const table = splitTable(passes);
  const rows = [header(table), ...table.rows.map(rowCells)];
  const aligns = ['left', 'left', 'left', 'right', 'right', ...table.servers.map(() => 'right' as const)] as const;
  return `${formatColumns(rows, aligns).join('\n')}\n`;
}

/** For report.md: a Markdown table. */
export function splitTableMarkdown(passes: readonly RunSummary[]): string[] {
  const table = splitTable(passes);
  const head = header(table);
  const align = head.map((_cell, index) => (index >= 3 ? '---:' : '---'));
  return [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`, ...table.rows.map((row) => `| ${rowCells(row).join(' | ')} |`)];
}
