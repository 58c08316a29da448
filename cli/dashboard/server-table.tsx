import { Box, Text } from 'ink';
import { bar } from './bar.js';
import type { ServerRow } from './dashboard-state.js';
import { fit, formatCount, formatMsBare, formatRate, formatShare } from './format.js';
import { sparkline } from './sparkline.js';
import { tableLayout, type TableLayout } from './table-layout.js';
import { HEALTH_COLOR, STATE_COLOR } from './theme.js';

export interface ServerTableProps {
  readonly servers: readonly ServerRow[];
  readonly width: number;
  /** Index into `servers` of the selected row; -1 for none. */
  readonly selected: number;
  /** Rows to show at most (the header not counted); a window around the selection when there are more. */
  readonly maxRows: number;
  /** Greys the numbers out (the balancer is unreachable, so they are stale). */
  readonly stale?: boolean;
  /** Tcp mode: the counts are connections (headers CONNS, CON/S, FAIL). */
  readonly connections?: boolean;
  /** A dim line under the rows saying what window each column counts over. */
  readonly caption?: string;
}

/** First visible row so that `selected` is in a window of `size` rows. */
export function windowStart(count: number, selected: number, size: number): number {
  if (count <= size) return 0;
  const start = Math.max(0, Math.min(selected - Math.floor(size / 2), count - size));
  return start;
}

function latencyText(row: ServerRow): string {
  if (row.latency === undefined) return '-';
  return `${formatMsBare(row.latency.centerMs)}/${formatMsBare(row.latency.p99Ms)}`;
}

function HeaderRow({ layout, latencyLabel, connections }: { readonly layout: TableLayout; readonly latencyLabel: string; readonly connections: boolean }) {
  const text = [
    ' '.repeat(layout.marker - 1),
    fit('SERVER', layout.name),
    fit('STATE', layout.state),
    fit('HEALTH', layout.health),
    fit(connections ? 'CONNS' : 'REQS', layout.requests, 'right'),
    fit('SHARE', layout.bar + 1 + layout.share),
    fit(connections ? 'CON/S' : 'REQ/S', layout.rate, 'right'),
    fit('', layout.spark),
    fit(latencyLabel, layout.latency, 'right'),
    fit(connections ? 'FAIL' : 'ERR', layout.errors, 'right'),
  ].join(' ');
  return <Text dimColor>{text}</Text>;
}

function Row({
  row,
  layout,
  selected,
  sparkMax,
  stale,
}: {
  readonly row: ServerRow;
  readonly layout: TableLayout;
  readonly selected: boolean;
  readonly sparkMax: number;
  readonly stale: boolean;
}) {
  const health = row.health;
  const healthText = health === 'unknown' ? '-' : health;
  return (
    <Box>
      <Text color="cyan">{selected ? '› ' : '  '}</Text>
      <Text bold={selected}>{fit(row.name, layout.name)} </Text>
      <Text color={STATE_COLOR[row.state]}>{fit(row.state === 'unknown' ? '-' : row.state, layout.state)} </Text>
      <Text color={HEALTH_COLOR[health]} bold={health === 'down' || health === 'ejected'}>
        {fit(healthText, layout.health)}{' '}
      </Text>
      <Text dimColor={stale}>
        {fit(formatCount(row.requests), layout.requests, 'right')}{' '}
      </Text>
      <Text color="cyan" dimColor={stale}>
        {bar(row.share, layout.bar)}
      </Text>
      <Text dimColor={stale}>
        {' '}
        {fit(formatShare(row.share), layout.share, 'right')} {fit(formatRate(row.ratePerSec), layout.rate, 'right')}{' '}
      </Text>
      <Text color="green" dimColor={stale}>
        {sparkline(row.rateHistory, layout.spark, sparkMax)}
      </Text>
      <Text dimColor={stale}> {fit(latencyText(row), layout.latency, 'right')} </Text>
      <Text color={row.errors > 0 ? 'red' : undefined} dimColor={stale}>
        {fit(formatCount(row.errors), layout.errors, 'right')}
      </Text>
    </Box>
  );
}

/**
 * One row per server: state (runtime), health (balancer) in colour, requests,
 * share of traffic as a bar, requests per second with a sparkline, latency
 * and errors. Sparklines share one scale so the rows compare.
 */
export function ServerTable({ servers, width, selected, maxRows, stale = false, connections = false, caption }: ServerTableProps) {
  const layout = tableLayout(width, servers.map((server) => server.name));
  const overflow = servers.length > maxRows;
  const size = overflow ? Math.max(1, maxRows - 1) : servers.length;
  const start = windowStart(servers.length, Math.max(0, selected), size);
  const shown = servers.slice(start, start + size);
  const sparkMax = Math.max(0, ...servers.flatMap((server) => server.rateHistory.slice(-layout.spark)));
  const latencyLabel = servers.some((server) => server.latency?.kind === 'p50') ? 'P50/P99 ms' : 'AVG/P99 ms';
  return (
    <Box flexDirection="column" width={width}>
      <HeaderRow layout={layout} latencyLabel={latencyLabel} connections={connections} />
      {servers.length === 0 ? <Text dimColor>  (no servers yet)</Text> : null}
      {shown.map((row, i) => (
        <Row key={row.name} row={row} layout={layout} selected={start + i === selected} sparkMax={sparkMax} stale={stale} />
      ))}
      {overflow ? (
        <Text dimColor>
          {fit(`  … ${servers.length - shown.length} more (${start} above, ${servers.length - start - shown.length} below)`, width)}
        </Text>
      ) : null}
      {caption === undefined ? null : <Text dimColor>{fit(`  ${caption}`, width)}</Text>}
    </Box>
  );
}
