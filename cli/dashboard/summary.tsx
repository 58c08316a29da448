import { Box, Text } from 'ink';
import { NO_RESPONSE, NO_SERVER_ID } from '../load/load-result.js';
import { naturalCompare } from '../load/natural-compare.js';
import { bar } from './bar.js';
import type { RunSummary } from './dashboard-state.js';
import { fit, formatCount, formatElapsed, formatErrorRate, formatMs, formatRate, formatShare, truncate } from './format.js';

export interface SummaryProps {
  readonly scenario: string;
  readonly summary: RunSummary;
  /** Where the results were written. */
  readonly resultsDir: string | undefined;
  readonly width: number;
}

/**
 * The closing screen of a run:
 * `12,345 requests in 0:30  412 req/s  errors 12 (0.1%)`, latency
 * percentiles, requests per server with their share, thresholds, and the
 * results folder.
 */
export function Summary({ scenario, summary, resultsDir, width }: SummaryProps) {
  const ratePerSec = summary.durationMs > 0 ? (summary.requests * 1000) / summary.durationMs : 0;
  const errorRate = summary.requests > 0 ? summary.errors / summary.requests : 0;
  const totals = [
    `${formatCount(summary.requests)} requests in ${formatElapsed(summary.durationMs)}`,
    `${formatRate(ratePerSec)} req/s`,
    `errors ${formatCount(summary.errors)} (${formatErrorRate(errorRate)})`,
    ...((summary.dropped ?? 0) > 0 ? [`dropped ${formatCount(summary.dropped ?? 0)}`] : []),
  ].join('  ');
  const { latency } = summary;
  const latencyLine = [
    `p50 ${formatMs(latency.p50Ms)}`,
    ...(latency.p90Ms === undefined ? [] : [`p90 ${formatMs(latency.p90Ms)}`]),
    `p99 ${formatMs(latency.p99Ms)}`,
    ...(latency.maxMs === undefined ? [] : [`max ${formatMs(latency.maxMs)}`]),
  ].join('  ');
  const servers = Object.entries(summary.byServer).sort(([a], [b]) => {
    const special = (name: string): number => (name === NO_SERVER_ID || name === NO_RESPONSE ? 1 : 0);
    return special(a) - special(b) || naturalCompare(a, b);
  });
  const nameWidth = Math.min(16, Math.max(6, ...servers.map(([name]) => name.length)));
  const barWidth = Math.max(4, Math.min(40, width - nameWidth - 30));
  const rule = `─ run finished: ${scenario} `;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{truncate(`${rule}${'─'.repeat(Math.max(0, width - rule.length))}`, width)}</Text>
      {summary.saturation === undefined ? null : (
        <Text color="yellow" bold>
          {summary.saturation}
        </Text>
      )}
      <Text wrap="truncate-end">{truncate(totals, width)}</Text>
      <Text wrap="truncate-end">{truncate(`latency  ${latencyLine}`, width)}</Text>
      {servers.map(([name, server]) => {
        const share = summary.requests > 0 ? server.requests / summary.requests : 0;
        return (
          <Text key={name} wrap="truncate-end">
            {`  ${fit(name, nameWidth)} ${fit(formatCount(server.requests), 9, 'right')} ${fit(formatShare(share), 4, 'right')} `}
            <Text color="cyan">{bar(share, barWidth)}</Text>
            <Text color={server.errors > 0 ? 'red' : undefined}>{` ${formatCount(server.errors)} err`}</Text>
          </Text>
        );
      })}
      {(summary.thresholds ?? []).map((threshold) => (
        <Text key={threshold.name} color={threshold.passed ? 'green' : 'red'} wrap="truncate-end">
          {truncate(`${threshold.passed ? '✔' : '✖'} ${threshold.name}${threshold.detail === undefined ? '' : `  ${threshold.detail}`}`, width)}
        </Text>
      ))}
      {resultsDir === undefined ? null : <Text wrap="truncate-end">{truncate(`results  ${resultsDir}`, width)}</Text>}
    </Box>
  );
}
