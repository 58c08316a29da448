import type { ChartConfiguration } from 'chart.js';
import { formatMs } from '../format.js';
import type { RunPercentilePoint, RunSummary } from '../run-summary.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';
import { isPseudoServer, serverColours } from './palette.js';

/** Lowest and (at least) highest latency on the fixed y axis, ms: the same scale for every run up to 10 s. */
export const LATENCY_AXIS_MIN_MS = 0.1;
export const LATENCY_AXIS_MAX_MS = 10_000;
/** The x axis runs to 99.99 %: 4 decades of 1 / (1 - p). */
export const PERCENTILE_AXIS_MAX = 4;

/** x of a percentile on the HdrHistogram axis: log10(1 / (1 - p)); 0 % → 0, 90 % → 1, 99 % → 2, 99.9 % → 3, 99.99 % → 4. */
export function percentileX(percentile: number): number {
  const rest = 1 - percentile / 100;
  return rest <= 1e-4 ? PERCENTILE_AXIS_MAX : Math.log10(1 / rest);
}

const PERCENTILE_TICKS: Readonly<Record<number, string>> = { 0: '0%', 1: '90%', 2: '99%', 3: '99.9%', 4: '99.99%' };

function msTick(value: number | string): string | undefined {
  const numeric = Number(value);
  const mantissa = numeric / 10 ** Math.floor(Math.log10(numeric));
  if (![1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6)) return undefined;
  return numeric.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function points(distribution: readonly RunPercentilePoint[]): { x: number; y: number }[] {
  return distribution.map((point) => ({ x: Number(percentileX(point.percentile).toFixed(4)), y: Math.max(LATENCY_AXIS_MIN_MS, point.ms) }));
}

/**
 * latency.png as data: the percentile distribution (HdrHistogram style: x
 * = percentile on a log scale up to 99.99 %, y = ms on a fixed log scale)
 * overall and per server. Pure.
 */
export function buildLatencyChart(summary: RunSummary): ChartConfiguration {
  const distribution = summary.latencyDistribution ?? { overall: [], byServer: {} };
  const names = Object.keys(distribution.byServer).filter((name) => !isPseudoServer(name));
  const colours = serverColours(names);
  const highestMs = Math.max(0, ...distribution.overall.map((point) => point.ms));
  const maxMs = highestMs > LATENCY_AXIS_MAX_MS ? 10 ** Math.ceil(Math.log10(highestMs)) : LATENCY_AXIS_MAX_MS;
  const datasets = [
    { label: 'all requests', data: points(distribution.overall), borderColor: '#222222', backgroundColor: '#222222', borderWidth: 3, pointRadius: 2, tension: 0, order: 0 },
    ...names.map((name, index) => ({
      label: name,
      data: points(distribution.byServer[name] ?? []),
      borderColor: colours[index],
      backgroundColor: colours[index],
      borderWidth: 2,
      pointRadius: 2,
      tension: 0,
      order: 1,
    })),
  ];
  const hasData = summary.totals.requests > 0;
  const latency = summary.latency;
  return {
    type: 'line',
    data: { datasets },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: `Latency by percentile — ${summary.scenario}${typeof summary.lab.algorithm === 'string' ? ` (${summary.lab.algorithm})` : ''}`, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: `p50 ${formatMs(latency.p50Ms, hasData)} · p90 ${formatMs(latency.p90Ms, hasData)} · p99 ${formatMs(latency.p99Ms, hasData)} · p99.9 ${formatMs(latency.p999Ms, hasData)} · max ${formatMs(latency.maxMs, hasData)} ms (all requests)`,
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: { display: true, position: 'bottom', labels: { boxWidth: 28, boxHeight: 2 } },
      },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: PERCENTILE_AXIS_MAX,
          ticks: { stepSize: 1, callback: (value: number | string) => PERCENTILE_TICKS[Number(value)] ?? '' },
          title: { display: true, text: 'percentile (log scale: each step is ten times rarer)', font: AXIS_TITLE_FONT },
        },
        y: {
          type: 'logarithmic',
          min: LATENCY_AXIS_MIN_MS,
          max: maxMs,
          ticks: { callback: msTick },
          title: { display: true, text: 'latency (ms, log scale)', font: AXIS_TITLE_FONT },
        },
      },
    },
  } as unknown as ChartConfiguration;
}

/** latency.png. */
export async function renderLatencyChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer> {
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer(buildLatencyChart(summary));
}
