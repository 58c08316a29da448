import { Text } from 'ink';
import type { RunProgress } from './dashboard-state.js';
import { formatElapsed, truncate } from './format.js';

export interface RunProgressLineProps {
  readonly progress: RunProgress;
  readonly width: number;
}

/** 0..1, or undefined when neither a planned time nor a planned count is known. */
export function progressFraction(progress: RunProgress): number | undefined {
  if (progress.totalMs !== undefined && progress.totalMs > 0) return Math.min(1, progress.elapsedMs / progress.totalMs);
  if (progress.requestsTotal !== undefined && progress.requestsTotal > 0) {
    return Math.min(1, (progress.requestsDone ?? 0) / progress.requestsTotal);
  }
  return undefined;
}

/**
 * `phase 2/3 kill-one  0:12 / 0:30  ██████░░░░░░  40%  0:18 left`, or with
 * a request count: `phase 1/1 burst  phase 0:01  ████░░░░  21% of 1,500 req`.
 * Time and percentage are both the phase's when phaseElapsedMs is set.
 */
export function RunProgressLine({ progress, width }: RunProgressLineProps) {
  const fraction = progressFraction(progress);
  const phase = truncate(`phase ${progress.phaseIndex + 1}/${progress.phaseCount} ${progress.phase}`, Math.max(12, Math.floor(width / 3)));
  const shownElapsedMs = progress.phaseElapsedMs ?? progress.elapsedMs;
  const time =
    progress.totalMs === undefined
      ? `${progress.phaseElapsedMs === undefined ? '' : 'phase '}${formatElapsed(shownElapsedMs)}`
      : `${formatElapsed(progress.elapsedMs)} / ${formatElapsed(progress.totalMs)}`;
  const tail =
    fraction === undefined
      ? ''
      : `${String(Math.floor(fraction * 100)).padStart(3)}%` +
        (progress.totalMs === undefined
          ? progress.requestsTotal === undefined
            ? ''
            : ` of ${progress.requestsTotal.toLocaleString('en-US')} req`
          : `  ${formatElapsed(Math.max(0, progress.totalMs - progress.elapsedMs))} left`);
  const barWidth = fraction === undefined ? 0 : Math.max(0, width - phase.length - time.length - tail.length - 6);
  const filled = fraction === undefined ? 0 : Math.round(fraction * barWidth);
  return (
    <Text wrap="truncate-end">
      <Text bold>{phase}</Text>
      <Text>{`  ${time}  `}</Text>
      <Text color="cyan">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(barWidth - filled)}</Text>
      <Text>{barWidth > 0 ? `  ${tail}` : tail}</Text>
    </Text>
  );
}
