import type { ChartConfiguration } from 'chart.js';
import { formatInteger, formatShare } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { barLabelsPlugin } from './bar-labels-plugin.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, evenShareLine, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';
import { isPseudoServer, serverColours } from './palette.js';

/** "Requests per server — distribution-1k (1,000 requests, round-robin)". */
export function distributionTitle(summary: RunSummary): string {
  return `Requests per server — ${summary.scenario} (${formatInteger(summary.totals.requests)} requests, ${summary.lab.algorithm})`;
}

/** distribution.png: one bar per server with its count and share above it, and the even share as a dashed line. */
export async function renderDistributionChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer> {
  const servers = summary.servers;
  const names = servers.map((s) => s.name);
  const counts = servers.map((s) => s.requests);
  const realServers = servers.filter((s) => !isPseudoServer(s.name));
  const realRequests = realServers.reduce((sum, s) => sum + s.requests, 0);
  const evenShare = realServers.length > 0 ? realRequests / realServers.length : 0;
  const colours = serverColours(names);

  const configuration = {
    type: 'bar',
    data: {
      labels: names,
      datasets: [
        {
          type: 'bar',
          label: 'requests',
          data: counts,
          backgroundColor: colours,
          borderColor: colours,
          borderWidth: 1,
          maxBarThickness: 140,
          order: 2,
        },
        evenShareLine(`even share (${formatInteger(Math.round(evenShare))} per server)`, names.map((name) => (isPseudoServer(name) ? null : evenShare))),
      ],
    },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: distributionTitle(summary), font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: `${formatInteger(summary.totals.errors)} errors · p50 ${summary.latency.p50Ms} ms · p99 ${summary.latency.p99Ms} ms · ${summary.totals.ratePerSec} req/s`,
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: {
          display: true,
          labels: {
            boxHeight: 2,
            // The bar colours are per server and named on the x axis: the legend shows only the even-share line.
            filter: (item: { datasetIndex?: number }) => item.datasetIndex === 1,
          },
        },
      },
      scales: {
        x: { title: { display: true, text: 'server (X-Server-Id)', font: AXIS_TITLE_FONT } },
        y: { beginAtZero: true, grace: '15%', title: { display: true, text: 'requests', font: AXIS_TITLE_FONT } },
      },
    },
    plugins: [
      barLabelsPlugin({
        labelFor: (datasetIndex, index) => {
          const server = servers[index];
          if (datasetIndex !== 0 || server === undefined) return undefined;
          return [formatInteger(server.requests), formatShare(server.share)];
        },
      }),
    ],
  } as unknown as ChartConfiguration;
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer(configuration);
}
