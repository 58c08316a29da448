import type { ChartConfiguration } from 'chart.js';
import type { RunSummary } from '../run-summary.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';
import { eventLinesPlugin } from './event-lines-plugin.js';
import { eventLegendDatasets, runEventLines } from './run-events.js';
import { plottedPoints, timeAxis } from './time-axis.js';

/** Above this ratio of highest p99 to lowest p50, a log scale reads better than a linear one. */
const LOG_SCALE_RATIO = 30;

const PERCENTILES = [
  { key: 'p50Ms', label: 'p50', colour: '#009E73' },
  { key: 'p90Ms', label: 'p90', colour: '#E69F00' },
  { key: 'p99Ms', label: 'p99', colour: '#D55E00' },
] as const;

/** Whether the latency chart uses a log y axis for this summary. */
export function latencyUsesLogScale(summary: RunSummary): boolean {
  const p50s = summary.series.filter((p) => p.requests > 0 && p.p50Ms > 0).map((p) => p.p50Ms);
  const p99s = summary.series.filter((p) => p.requests > 0).map((p) => p.p99Ms);
  if (p50s.length === 0 || p99s.length === 0) return false;
  return Math.max(...p99s) / Math.min(...p50s) > LOG_SCALE_RATIO;
}

/** 0.5 → "0.5", 2 → "2", 1000 → "1,000"; only 1, 2, 5 × 10^k on a log axis. */
function logTick(value: number | string): string | undefined {
  const numeric = Number(value);
  const mantissa = numeric / 10 ** Math.floor(Math.log10(numeric));
  if (![1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)) return undefined;
  return numeric.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** latency.png: p50, p90 and p99 per second (ms), with the run's actions and health changes marked. */
export async function renderLatencyChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer> {
  const logScale = latencyUsesLogScale(summary);
  const points = plottedPoints(summary);
  const highestMs = Math.max(0, ...points.map((p) => p.p99Ms));
  const datasets = PERCENTILES.map(({ key, label, colour }) => ({
    label,
    // A second without responses has no latency: a gap, not a zero.
    data: points.map((point) => ({ x: point.atMs / 1000, y: point.requests > 0 && point[key] > 0 ? point[key] : null })),
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2.5,
    pointRadius: points.length > 60 ? 0 : 2.5,
    spanGaps: false,
    tension: 0,
  }));

  const configuration = {
    type: 'line',
    data: { datasets: [...datasets, ...eventLegendDatasets(summary)] },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: `Latency percentiles per second — ${summary.scenario}`, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: `whole run: p50 ${summary.latency.p50Ms} ms · p90 ${summary.latency.p90Ms} ms · p99 ${summary.latency.p99Ms} ms · max ${summary.latency.maxMs} ms${logScale ? ' · log scale' : ''}`,
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: { display: true, position: 'bottom', labels: { boxWidth: 28, boxHeight: 2 } },
      },
      scales: {
        x: timeAxis(summary),
        y: logScale
          ? // Headroom above the highest p99 for the event labels (grace does not apply to log scales).
            { type: 'logarithmic', max: highestMs * 4, ticks: { callback: logTick }, title: { display: true, text: 'latency (ms, log scale)', font: AXIS_TITLE_FONT } }
          : { type: 'linear', beginAtZero: true, grace: '25%', title: { display: true, text: 'latency (ms)', font: AXIS_TITLE_FONT } },
      },
    },
    plugins: [eventLinesPlugin(runEventLines(summary))],
  } as unknown as ChartConfiguration;
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer(configuration);
}
