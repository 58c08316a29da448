import { Box, Text } from 'ink';
import type { DashboardState } from './dashboard-state.js';
import { formatBytes } from '../report/format-bytes.js';
import { formatClock, formatCount, formatErrorRate, formatMs, formatRate, truncate } from './format.js';

export interface HeaderProps {
  readonly state: DashboardState;
  readonly width: number;
}

function ConnectionBadge({ state }: { readonly state: DashboardState }) {
  const connection = state.connection;
  if (connection === undefined) return <Text dimColor>no lab</Text>;
  switch (connection.status) {
    case 'connecting':
      return <Text color="yellow">◌ connecting</Text>;
    case 'live':
      return (
        <Text>
          <Text color="green">● live</Text>
          {state.eventStream === 'retrying' ? <Text color="yellow"> (no events)</Text> : null}
        </Text>
      );
    case 'lost':
      return <Text color="red">✖ lost {formatElapsedShort(state.nowMs - connection.sinceMs)}</Text>;
  }
}

function formatElapsedShort(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return seconds < 120 ? `${seconds}s` : `${Math.floor(seconds / 60)}m`;
}

/** `tcp mode  3.0 conn/s  open 2  total 42  refused 0  ↑ 1.2 KiB  ↓ 9.8 KiB`. */
function tcpFigures(state: DashboardState): string {
  const { totals, bytes } = state;
  return [
    'tcp mode',
    `${formatRate(totals.ratePerSec)} conn/s`,
    `open ${formatCount(totals.inFlight)}`,
    `total ${formatCount(totals.requests)}`,
    `refused ${formatCount(totals.errors)}`,
    ...(bytes === undefined ? [] : [`↑ ${formatBytes(bytes.toServers)}`, `↓ ${formatBytes(bytes.toClients)}`]),
  ].join('  ');
}

/**
 * Two lines (three when the balancer is lost):
 * `lblab · lab dash · process · round-robin              ● live`
 * `412 req/s  err 0.0%  p50 1.2ms  p99 8.0ms  in flight 3  total 12,345`
 */
export function Header({ state, width }: HeaderProps) {
  const title = [state.lab === undefined ? undefined : `lab ${state.lab}`, state.runtime, state.run === undefined ? undefined : `run ${state.run.scenario}`, state.algorithm === 'unknown' ? undefined : state.algorithm]
    .filter((part) => part !== undefined)
    .join(' · ');
  const { totals, latency, connection } = state;
  const figures = state.mode === 'tcp' ? tcpFigures(state) : [
    `${formatRate(totals.ratePerSec)} req/s`,
    `err ${formatErrorRate(totals.errorRate)}`,
    ...(latency === undefined ? [] : [`p50 ${formatMs(latency.p50Ms)}`, `p99 ${formatMs(latency.p99Ms)}`]),
    `in flight ${formatCount(totals.inFlight)}`,
    `total ${formatCount(totals.requests)}`,
  ].join('  ');
  const badgeWidth = 20;
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width} justifyContent="space-between">
        <Text bold wrap="truncate-end">
          {truncate(`lblab · ${title}`, width - badgeWidth)}
        </Text>
        <ConnectionBadge state={state} />
      </Box>
      <Text wrap="truncate-end">{truncate(figures, width)}</Text>
      {connection?.status === 'lost' ? (
        <Text color="red" wrap="truncate-end">
          {truncate(
            `balancer unreachable since ${formatClock(connection.sinceMs)}: ${connection.reason} — retrying (attempt ${connection.attempts})`,
            width,
          )}
        </Text>
      ) : null}
    </Box>
  );
}
