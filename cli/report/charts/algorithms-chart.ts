import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { LabError } from '../../errors.js';
import { compareServerNames } from '../compare-server-names.js';
import { formatMs } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { barLabelsPlugin } from './bar-labels-plugin.js';
import { chartCanvas, CHART_WIDTH_PX } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT } from './chart-options.js';
import { isPseudoServer, serverColours } from './palette.js';
import { stackPanels } from './stack-panels.js';

export interface AlgorithmsChartOptions {
  readonly widthPx?: number;
  /** Height of the share panel; default 480. */
  readonly shareHeightPx?: number;
  /** Height of the latency panel; default 90 + 60 per algorithm. */
  readonly latencyHeightPx?: number;
  /** What the passes differ in; default algorithm. */
  readonly by?: ComparedBy;
}

const LATENCY_SERIES = [
  { key: 'p50Ms', label: 'p50', colour: '#009E73' },
  { key: 'p99Ms', label: 'p99', colour: '#E69F00' },
  { key: 'p999Ms', label: 'p99.9', colour: '#D55E00' },
] as const;

function sharePercent(summary: RunSummary, name: string): number {
  const share = summary.servers.find((server) => server.name === name)?.share ?? 0;
  return Math.round(share * 1000) / 10;
}

export interface AlgorithmsChartModel {
  readonly share: ChartConfiguration;
  readonly latency: ChartConfiguration;
  readonly evenSharePercent: number;
}

/** What the passes of a comparison differ in. */
export type ComparedBy = 'algorithm' | 'balancer' | 'pass';

/** `12` when every pass took the same whole seconds, else `10–18`. */
function secondsRange(seconds: readonly number[]): string {
  const low = Math.round(Math.min(...seconds));
  const high = Math.round(Math.max(...seconds));
  return low === high ? `${low}` : `${low}–${high}`;
}

/** algorithms.png as data: share per server by algorithm (or balancer, or pass) as grouped bars, then p50, p99 and p99.9 of each pass (horizontal bars). Pure. */
export function buildAlgorithmsChart(summaries: readonly RunSummary[], labels: readonly string[], by: ComparedBy = 'algorithm'): AlgorithmsChartModel {
  if (summaries.length === 0 || summaries.length !== labels.length) {
    throw new LabError(
      'LBLAB_BAD_INPUT',
      `renderAlgorithmsChart needs one label per summary and at least one summary, received ${summaries.length} summaries and ${labels.length} labels`,
    );
  }
  const names = [...new Set(summaries.flatMap((s) => s.servers.filter((server) => !isPseudoServer(server.name) || server.requests > 0).map((server) => server.name)))].sort(
    compareServerNames,
  );
  const colours = serverColours(names);
  const realServerCount = names.filter((name) => !isPseudoServer(name)).length;
  const evenSharePercent = realServerCount > 0 ? 100 / realServerCount : 0;
  const requests = [...new Set(summaries.map((s) => s.totals.requests))];
  const seconds = summaries.map((s) => s.durationMs / 1000);
  const faults = Object.entries(summaries[0]?.initialFaults ?? {}).map(([server, fault]) => `${server} ${fault}`);
  const subtitle = `${realServerCount} servers${faults.length > 0 ? ` (${faults.join(', ')})` : ''} · one pass per ${by}, ${secondsRange(seconds)} s each · ${
    requests.length === 1 ? `${(requests[0] ?? 0).toLocaleString('en-US')} requests per pass` : 'requests per pass vary'
  } · dashed: even share (${evenSharePercent.toFixed(1)}%)`;
  const share = {
    type: 'bar',
    data: {
      labels: [...labels],
      datasets: names.map((name, index) => ({ label: name, data: summaries.map((summary) => sharePercent(summary, name)), backgroundColor: colours[index], borderColor: colours[index] })),
    },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 0, left: 8 } },
      plugins: {
        title: { display: true, text: `Share of requests per server, by ${by}`, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: { display: true, text: subtitle, font: SUBTITLE_FONT, padding: { bottom: 8 } },
        legend: { display: true, position: 'bottom', labels: { boxHeight: 12 } },
      },
      scales: {
        x: { ticks: { font: { size: 13 } } },
        y: { beginAtZero: true, suggestedMax: 100, max: 100, title: { display: true, text: 'share of requests (%)', font: AXIS_TITLE_FONT } },
      },
    },
  } as unknown as ChartConfiguration;

  const latency = {
    type: 'bar',
    data: {
      labels: [...labels],
      datasets: LATENCY_SERIES.map(({ key, label, colour }) => ({
        label,
        data: summaries.map((summary) => (summary.totals.requests > 0 ? (summary.latency[key] ?? 0) : 0)),
        backgroundColor: colour,
        borderColor: colour,
        maxBarThickness: 16,
      })),
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { top: 0, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: 'Latency of each pass (shorter is better)', font: { size: 16, weight: 'bold' }, padding: { top: 4, bottom: 4 } },
        legend: { display: true, position: 'bottom', labels: { boxHeight: 12 } },
      },
      scales: {
        x: {
          type: 'logarithmic',
          min: 1,
          max: 10 ** Math.ceil(Math.log10(Math.max(10, ...summaries.map((s) => s.latency.p999Ms ?? s.latency.p99Ms)) * 1.5)),
          ticks: { callback: (value: number | string) => ([1, 2, 5].some((m) => Math.abs(Number(value) / 10 ** Math.floor(Math.log10(Number(value))) - m) < 1e-6) ? Number(value).toLocaleString('en-US') : undefined) },
          title: { display: true, text: 'latency (ms, log scale)', font: AXIS_TITLE_FONT },
        },
        y: { ticks: { font: { size: 13 } } },
      },
    },
  } as unknown as ChartConfiguration;
  return { share, latency, evenSharePercent };
}

function evenShareLinePlugin(percent: number): Plugin {
  return {
    id: 'lblabEvenShare',
    afterDatasetsDraw(chart: Chart) {
      const yScale = chart.scales['y'];
      if (yScale === undefined || percent <= 0) return;
      const { ctx, chartArea } = chart;
      const y = yScale.getPixelForValue(percent);
      ctx.save();
      ctx.strokeStyle = '#444444';
      ctx.lineWidth = 2;
      ctx.setLineDash([8, 5]);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, y);
      ctx.lineTo(chartArea.right, y);
      ctx.stroke();
      ctx.restore();
    },
  };
}

/** algorithms.png: the two panels stacked. */
export async function renderAlgorithmsChart(summaries: readonly RunSummary[], labels: readonly string[], options: AlgorithmsChartOptions = {}): Promise<Buffer> {
  const model = buildAlgorithmsChart(summaries, labels, options.by);
  const widthPx = options.widthPx ?? Math.max(CHART_WIDTH_PX, 160 * summaries.length);
  const shareHeightPx = options.shareHeightPx ?? 480;
  const latencyHeightPx = options.latencyHeightPx ?? 90 + 60 * summaries.length;
  const latencyValues = (model.latency.data.datasets as { data: number[] }[]).map((dataset) => dataset.data);
  const [sharePanel, latencyPanel] = await Promise.all([
    chartCanvas(widthPx, shareHeightPx).renderToBuffer({ ...model.share, plugins: [evenShareLinePlugin(model.evenSharePercent)] } as ChartConfiguration),
    chartCanvas(widthPx, latencyHeightPx).renderToBuffer({
      ...model.latency,
      plugins: [barLabelsPlugin({ placement: 'right', fontSizePx: 12, labelFor: (datasetIndex, index) => [formatMs(latencyValues[datasetIndex]?.[index] ?? 0)] })],
    } as ChartConfiguration),
  ]);
  return stackPanels([sharePanel, latencyPanel]);
}
