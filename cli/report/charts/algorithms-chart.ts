import type { ChartConfiguration } from 'chart.js';
import { LabError } from '../../errors.js';
import { compareServerNames } from '../compare-server-names.js';
import { formatInteger } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { barLabelsPlugin } from './bar-labels-plugin.js';
import { chartCanvas, CHART_WIDTH_PX } from './chart-canvas.js';
import { AXIS_TITLE_FONT, evenShareLine, SUBTITLE_FONT, TITLE_FONT } from './chart-options.js';
import { isPseudoServer, serverColours } from './palette.js';
import { stackPanels } from './stack-panels.js';

export interface AlgorithmsChartOptions {
  readonly widthPx?: number;
  /** Height of the share panel; default 520. */
  readonly shareHeightPx?: number;
  /** Height of the p99 panel; default 60 + 45 per algorithm. */
  readonly latencyHeightPx?: number;
}

/** Above this many bars, per-bar labels would crowd each other; the axis alone is shown. */
const MAX_LABELLED_BARS = 24;
const P99_COLOUR = '#D55E00';

function sharePercent(summary: RunSummary, name: string): number {
  const share = summary.servers.find((server) => server.name === name)?.share ?? 0;
  return Math.round(share * 1000) / 10;
}

/**
 * algorithms.png, for one run per algorithm, in two panels: on top the share
 * of requests of each server as grouped bars (one group per algorithm), with
 * the even share dashed; below, the p99 latency of each run as horizontal bars.
 */
export async function renderAlgorithmsChart(
  summaries: readonly RunSummary[],
  labels: readonly string[],
  options: AlgorithmsChartOptions = {},
): Promise<Buffer> {
  if (summaries.length === 0 || summaries.length !== labels.length) {
    throw new LabError(
      'LBLAB_BAD_INPUT',
      `renderAlgorithmsChart needs one label per summary and at least one summary, received ${summaries.length} summaries and ${labels.length} labels`,
    );
  }
  const widthPx = options.widthPx ?? CHART_WIDTH_PX;
  const shareHeightPx = options.shareHeightPx ?? 520;
  const latencyHeightPx = options.latencyHeightPx ?? 60 + 45 * summaries.length;

  const names = [
    ...new Set(summaries.flatMap((s) => s.servers.filter((server) => !isPseudoServer(server.name) || server.requests > 0).map((server) => server.name))),
  ].sort(compareServerNames);
  const colours = serverColours(names);
  const realServerCount = names.filter((name) => !isPseudoServer(name)).length;
  const evenSharePercent = realServerCount > 0 ? 100 / realServerCount : 0;
  const labelBars = names.length * summaries.length <= MAX_LABELLED_BARS;
  const categoryLabels = summaries.map((summary, index) => [labels[index] ?? '', `${formatInteger(summary.totals.requests)} requests`]);

  const shareConfiguration = {
    type: 'bar',
    data: {
      labels: categoryLabels,
      datasets: [
        ...names.map((name, index) => ({
          type: 'bar',
          label: name,
          data: summaries.map((summary) => sharePercent(summary, name)),
          backgroundColor: colours[index],
          borderColor: colours[index],
          order: 2,
        })),
        evenShareLine(`even share (${evenSharePercent.toFixed(1)}%)`, summaries.map(() => evenSharePercent)),
      ],
    },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 0, left: 8 } },
      plugins: {
        title: { display: true, text: 'Share of requests per server, by algorithm', font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: { display: true, text: `${realServerCount} servers · one run per algorithm`, font: SUBTITLE_FONT, padding: { bottom: 8 } },
        legend: { display: true, position: 'bottom', labels: { boxHeight: 12 } },
      },
      scales: {
        x: { title: { display: false } },
        y: { beginAtZero: true, grace: '12%', title: { display: true, text: 'share of requests (%)', font: AXIS_TITLE_FONT } },
      },
    },
    plugins: labelBars
      ? [
          barLabelsPlugin({
            fontSizePx: 12,
            labelFor: (datasetIndex, index) => {
              const name = names[datasetIndex];
              const summary = summaries[index];
              if (name === undefined || summary === undefined) return undefined;
              return [`${sharePercent(summary, name).toFixed(1)}%`];
            },
          }),
        ]
      : [],
  } as unknown as ChartConfiguration;

  const p99s = summaries.map((summary) => summary.latency.p99Ms);
  const latencyConfiguration = {
    type: 'bar',
    data: {
      labels: [...labels],
      datasets: [{ label: 'p99 latency (ms)', data: p99s, backgroundColor: P99_COLOUR, borderColor: P99_COLOUR, maxBarThickness: 28 }],
    },
    options: {
      indexAxis: 'y',
      layout: { padding: { top: 0, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: 'p99 latency of each run', font: { size: 15, weight: 'bold' }, padding: { top: 4, bottom: 4 } },
        legend: { display: false },
      },
      scales: {
        x: { beginAtZero: true, grace: '15%', title: { display: true, text: 'p99 latency (ms)', font: AXIS_TITLE_FONT } },
        y: { title: { display: false } },
      },
    },
    plugins: [barLabelsPlugin({ placement: 'right', fontSizePx: 13, labelFor: (_datasetIndex, index) => [`${p99s[index] ?? 0} ms`] })],
  } as unknown as ChartConfiguration;

  const [sharePanel, latencyPanel] = await Promise.all([
    chartCanvas(widthPx, shareHeightPx).renderToBuffer(shareConfiguration),
    chartCanvas(widthPx, latencyHeightPx).renderToBuffer(latencyConfiguration),
  ]);
  return stackPanels([sharePanel, latencyPanel]);
}
