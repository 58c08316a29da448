import type { ChartConfiguration } from 'chart.js';
import { formatInteger } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';
import { eventLinesPlugin } from './event-lines-plugin.js';
import { ACTION_COLOUR, isPseudoServer, serverColours } from './palette.js';
import { eventLegendDatasets, runEventLines } from './run-events.js';
import { perSecond, plottedPoints, timeAxis } from './time-axis.js';

/**
 * timeline.png: requests per second per server (one line each, x in seconds),
 * errors per second, and each action and health change as a labelled vertical line.
 */
export async function renderTimelineChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer> {
  const names = summary.servers.filter((s) => !isPseudoServer(s.name) || s.requests > 0).map((s) => s.name);
  const colours = serverColours(names);
  const points = plottedPoints(summary);
  // Dataset 0 is drawn on top: earlier servers get thinner lines, so servers
  // with the same rate (round robin) show as stacked bands instead of hiding each other.
  const widthStepPx = names.length > 1 ? Math.min(1.75, 6 / (names.length - 1)) : 0;
  const serverDatasets = names.map((name, index) => ({
    label: name,
    data: points.map((point) => ({ x: point.atMs / 1000, y: perSecond(point.byServer[name] ?? 0, point.intervalMs) })),
    borderColor: colours[index],
    backgroundColor: colours[index],
    borderWidth: 2 + index * widthStepPx,
    borderDash: isPseudoServer(name) ? [8, 4] : [],
    pointRadius: 0,
    tension: 0,
  }));
  const errorDatasets =
    summary.totals.errors > 0
      ? [
          {
            label: 'errors (5xx or no response)',
            data: points.map((point) => ({ x: point.atMs / 1000, y: perSecond(point.errors, point.intervalMs) })),
            borderColor: ACTION_COLOUR,
            backgroundColor: 'rgba(198, 40, 40, 0.12)',
            borderDash: [2, 3],
            borderWidth: 2,
            pointRadius: 0,
            fill: 'origin',
            tension: 0,
          },
        ]
      : [];

  const configuration = {
    type: 'line',
    data: { datasets: [...serverDatasets, ...errorDatasets, ...eventLegendDatasets(summary)] },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: `Requests per second per server — ${summary.scenario}`, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: `${summary.lab.algorithm} · ${formatInteger(summary.totals.requests)} requests in ${(summary.durationMs / 1000).toFixed(1)} s · ${formatInteger(summary.totals.errors)} errors`,
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: { display: true, position: 'bottom', labels: { usePointStyle: false, boxWidth: 28, boxHeight: 2 } },
      },
      scales: {
        x: timeAxis(summary),
        y: { beginAtZero: true, grace: '25%', title: { display: true, text: 'requests per second (req/s)', font: AXIS_TITLE_FONT } },
      },
    },
    plugins: [eventLinesPlugin(runEventLines(summary))],
  } as unknown as ChartConfiguration;
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer(configuration);
}
