import type { ChartConfiguration } from 'chart.js';
import { LabError } from '../../errors.js';
import { formatInteger } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { splitTable } from '../split-table.js';
import { barLabelsPlugin } from './bar-labels-plugin.js';
import { chartCanvas, CHART_WIDTH_PX } from './chart-canvas.js';
import { AXIS_TITLE_FONT, evenShareLine, SUBTITLE_FONT, TITLE_FONT } from './chart-options.js';
import { serverColours } from './palette.js';
import { stackPanels } from './stack-panels.js';

export interface SplitChartOptions {
  readonly widthPx?: number;
  /** Height of each of the two panels; default 440. */
  readonly panelHeightPx?: number;
}

const MAX_LABELLED_BARS = 24;

function percent(share: number): number {
  return Math.round(share * 1000) / 10;
}

/**
 * split.png, for passes that differ in balancer mode and connection policy:
 * on top the share of requests of each server per pass (grouped bars, even
 * share dashed); below, the share of the relayed connections of each server
 * (tcp passes; none for http), so the two can be compared bar by bar.
 */
export async function renderSplitChart(passes: readonly RunSummary[], options: SplitChartOptions = {}): Promise<Buffer> {
  if (passes.length === 0) throw new LabError('LBLAB_BAD_INPUT', 'renderSplitChart needs at least one pass, received 0');
  const widthPx = options.widthPx ?? CHART_WIDTH_PX;
  const heightPx = options.panelHeightPx ?? 440;
  const table = splitTable(passes);
  const colours = serverColours(table.servers);
  const evenPercent = table.servers.length > 0 ? 100 / table.servers.length : 0;
  const labelBars = table.servers.length * passes.length <= MAX_LABELLED_BARS;
  const categories = table.rows.map((row) => [row.pass, `${row.mode} · ${row.connection}`]);

  const requestShares = table.servers.map((_name, serverIndex) => table.rows.map((row) => percent(row.cells[serverIndex]?.share ?? 0)));
  const connectionShares = table.servers.map((_name, serverIndex) =>
    table.rows.map((row) => {
      const count = row.cells[serverIndex]?.connections;
      return count === undefined || row.connections === undefined || row.connections === 0 ? null : percent(count / row.connections);
    }),
  );

  const panel = (
    title: string,
    subtitle: string,
    axis: string,
    data: readonly (readonly (number | null)[])[],
    labelFor: (serverIndex: number, passIndex: number) => string | undefined,
  ): ChartConfiguration =>
    ({
      type: 'bar',
      data: {
        labels: categories,
        datasets: [
          ...table.servers.map((name, index) => ({
            type: 'bar',
            label: name,
            data: [...(data[index] ?? [])],
            backgroundColor: colours[index],
            borderColor: colours[index],
            order: 2,
          })),
          evenShareLine(`even share (${evenPercent.toFixed(1)}%)`, table.rows.map(() => evenPercent)),
        ],
      },
      options: {
        layout: { padding: { top: 8, right: 24, bottom: 0, left: 8 } },
        plugins: {
          title: { display: true, text: title, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
          subtitle: { display: true, text: subtitle, font: SUBTITLE_FONT, padding: { bottom: 8 } },
          legend: { display: true, position: 'bottom', labels: { boxHeight: 12 } },
        },
        scales: {
          x: { title: { display: false } },
          y: { beginAtZero: true, max: 100, title: { display: true, text: axis, font: AXIS_TITLE_FONT } },
        },
      },
      plugins: labelBars
        ? [
            barLabelsPlugin({
              fontSizePx: 12,
              labelFor: (datasetIndex, index) => {
                const text = labelFor(datasetIndex, index);
                return text === undefined ? undefined : [text];
              },
            }),
          ]
        : [],
    }) as unknown as ChartConfiguration;

  const requestsPanel = panel(
    'Share of requests per server, by pass',
    `${table.servers.length} servers · ${table.rows.map((row) => `${row.pass}: ${formatInteger(row.requests)} requests`).join(' · ')}`,
    'share of requests (%)',
    requestShares,
    (serverIndex, passIndex) => {
      const value = requestShares[serverIndex]?.[passIndex];
      return value === undefined ? undefined : `${value.toFixed(1)}%`;
    },
  );
  const connectionsPanel = panel(
    'Share of client connections per server (tcp mode: the balancer picks per connection)',
    table.rows.map((row) => `${row.pass}: ${row.connections === undefined ? 'http mode, not counted' : `${formatInteger(row.connections)} connections`}`).join(' · '),
    'share of connections (%)',
    connectionShares,
    (serverIndex, passIndex) => {
      const count = table.rows[passIndex]?.cells[serverIndex]?.connections;
      return count === undefined ? undefined : `${formatInteger(count)} conn`;
    },
  );
  const [top, bottom] = await Promise.all([
    chartCanvas(widthPx, heightPx).renderToBuffer(requestsPanel),
    chartCanvas(widthPx, heightPx).renderToBuffer(connectionsPanel),
  ]);
  return stackPanels([top, bottom]);
}
