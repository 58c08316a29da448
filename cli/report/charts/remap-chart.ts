import type { ChartConfiguration } from 'chart.js';
import { formatInteger, formatShare } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { barLabelsPlugin } from './bar-labels-plugin.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';

/** remap.png as data: per add or rm, the share of keys that moved (split: via the changed server, elsewhere) beside the ideal 1/N. Pure; undefined when the run has no remap rows. */
export function buildRemapChart(summary: RunSummary): ChartConfiguration | undefined {
  const rows = summary.remap ?? [];
  if (rows.length === 0) return undefined;
  const labels = rows.map((row) => [`${row.action} ${row.server} at ${(row.atMs / 1000).toFixed(1)} s`, `${formatInteger(row.keysCompared)} keys compared`]);
  const percent = (count: number, of: number): number => (of === 0 ? 0 : Math.round((count / of) * 1000) / 10);
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'moved, to/from the changed server', data: rows.map((row) => percent(row.movedViaChanged, row.keysCompared)), backgroundColor: '#0072B2', stack: 'moved' },
        { label: 'moved between other servers (should be 0)', data: rows.map((row) => percent(row.keysMoved - row.movedViaChanged, row.keysCompared)), backgroundColor: '#D55E00', stack: 'moved' },
        { label: 'ideal: 1/N', data: rows.map((row) => Math.round(row.idealFraction * 1000) / 10), backgroundColor: '#BDBDBD', stack: 'ideal' },
      ],
    },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: `Keys that changed server — ${summary.scenario}`, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: rows.map((row) => `${row.action} ${row.server}: ${formatShare(row.movedFraction)} moved (ideal ${formatShare(row.idealFraction)})`).join(' · '),
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: { display: true, position: 'bottom', labels: { boxHeight: 12 } },
      },
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, suggestedMax: 50, title: { display: true, text: 'keys that moved (% of keys seen before and after)', font: AXIS_TITLE_FONT } },
      },
    },
  } as unknown as ChartConfiguration;
}

/** remap.png; undefined when the run has no remap rows. */
export async function renderRemapChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer | undefined> {
  const configuration = buildRemapChart(summary);
  if (configuration === undefined) return undefined;
  const values = (configuration.data.datasets as { data: number[] }[]).map((dataset) => dataset.data);
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer({
    ...configuration,
    plugins: [barLabelsPlugin({ fontSizePx: 13, labelFor: (datasetIndex, index) => (datasetIndex === 1 ? undefined : [`${(values[datasetIndex]?.[index] ?? 0).toFixed(1)}%`]) })],
  } as ChartConfiguration);
}
