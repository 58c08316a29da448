import type { RunSeriesPoint, RunSummary } from '../run-summary.js';

/**
 * Series points worth plotting as rates: all but a final partial tick much
 * shorter than the others (a few responses in a few ms would show as a spike).
 */
export function plottedPoints(summary: RunSummary): readonly RunSeriesPoint[] {
  const intervals = summary.series.map((p) => p.intervalMs).sort((a, b) => a - b);
  const typicalMs = intervals[Math.floor(intervals.length / 2)] ?? 0;
  return summary.series.filter((point, index) => index < summary.series.length - 1 || point.intervalMs >= typicalMs / 4);
}

/** Right end of a time axis in seconds: the run's end, or a later action or health change, to 0.1 s. */
export function timeAxisEndSec(summary: RunSummary): number {
  const lastMs = Math.max(summary.durationMs, ...summary.actions.map((a) => a.atMs), ...summary.healthChanges.map((h) => h.atMs), 100);
  return Math.ceil(lastMs / 100) / 10;
}

/** Requests per second from a count over `intervalMs`, 2 decimals. */
export function perSecond(count: number, intervalMs: number): number {
  return intervalMs > 0 ? Math.round((count * 100_000) / intervalMs) / 100 : 0;
}

/** The x axis shared by the time charts: seconds from 0 to the end of the run. */
export function timeAxis(summary: RunSummary): Record<string, unknown> {
  const endSec = timeAxisEndSec(summary);
  return {
    type: 'linear',
    min: 0,
    max: endSec,
    ticks: {
      maxTicksLimit: 25,
      ...(endSec > 2 && endSec <= 30 ? { stepSize: 1 } : {}),
      callback: (value: number | string) => Number(value).toLocaleString('en-US', { maximumFractionDigits: 2 }),
    },
    title: { display: true, text: 'time since start (s)', font: { size: 14, weight: 'bold' } },
  };
}
