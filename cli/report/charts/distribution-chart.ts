import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import { algorithmLabel } from '../algorithm-label.js';
import { formatInteger, formatMs, formatRate, formatShare } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';
import { isPseudoServer, serverColours } from './palette.js';

const EVEN_SHARE_COLOUR = '#444444';

/** "Requests per server — distribution-1k". */
export function distributionTitle(summary: RunSummary): string {
  return `Requests per server — ${summary.scenario}`;
}

/** How long each server was in the lab during the run (ms): from the start or its add, to its rm or the end. */
export function serverTimeInLabMs(summary: RunSummary): Map<string, number> {
  const since = new Map<string, number>(summary.lab.servers.map((name) => [name, 0]));
  const total = new Map<string, number>();
  const close = (name: string, atMs: number): void => {
    const from = since.get(name);
    if (from === undefined) return;
    total.set(name, (total.get(name) ?? 0) + Math.max(0, atMs - from));
    since.delete(name);
  };
  for (const action of [...summary.actions].sort((a, b) => a.atMs - b.atMs)) {
    const names = action.target.split(',').map((name) => name.trim());
    if (action.action === 'add') for (const name of names) if (!since.has(name)) since.set(name, action.atMs);
    if (action.action === 'rm') for (const name of names) close(name, action.atMs);
  }
  for (const name of [...since.keys()]) close(name, summary.durationMs);
  return total;
}

/**
 * Each server's even share of the requests the servers answered, weighted by
 * its time in the lab; undefined for a fan-out run (every request reaches
 * every server) and for the `(none)` and `(no response)` buckets.
 */
export function evenShares(summary: RunSummary): Map<string, number> | undefined {
  if (summary.fanout === true) return undefined;
  const times = serverTimeInLabMs(summary);
  const real = summary.servers.filter((s) => !isPseudoServer(s.name));
  const served = real.reduce((sum, s) => sum + s.requests, 0);
  const totalTime = real.reduce((sum, s) => sum + (times.get(s.name) ?? 0), 0);
  if (totalTime === 0) return undefined;
  return new Map(real.map((s) => [s.name, (served * (times.get(s.name) ?? 0)) / totalTime]));
}

export interface DistributionChartModel {
  readonly configuration: ChartConfiguration;
  /** Per bar: the even share (undefined: none) and the label lines above it. */
  readonly bars: readonly { readonly name: string; readonly evenShare: number | undefined; readonly label: readonly string[] }[];
}

/** distribution.png as data: one bar per server, count, share and p99 above it, its even share as a dashed mark across the bar. Pure. */
export function buildDistributionChart(summary: RunSummary): DistributionChartModel {
  const servers = summary.servers.filter((s) => !isPseudoServer(s.name) || s.requests > 0);
  const names = servers.map((s) => s.name);
  const colours = serverColours(names);
  const even = evenShares(summary);
  const bars = servers.map((s) => ({
    name: s.name,
    evenShare: isPseudoServer(s.name) ? undefined : even?.get(s.name),
    label: [`${formatInteger(s.requests)} · ${formatShare(s.share)}`, s.requests > 0 && !s.name.startsWith('(no response') ? `p99 ${formatMs(s.p99Ms)} ms` : 'no latency'],
  }));
  const weighted = summary.actions.some((a) => a.action === 'add' || a.action === 'rm');
  const evenLegend =
    even === undefined
      ? []
      : [{ type: 'line', label: weighted ? 'even share (weighted by time in the lab)' : 'even share', data: [], borderColor: EVEN_SHARE_COLOUR, borderDash: [8, 5], borderWidth: 2, pointRadius: 0 }];
  const hasData = summary.totals.requests > 0;
  const configuration = {
    type: 'bar',
    data: {
      labels: names.map((name) => (name === '(none)' ? ['(none)', "balancer's own answer"] : name === '(no response)' ? ['(no response)', 'no answer at all'] : name)),
      datasets: [
        { type: 'bar', label: 'requests', data: servers.map((s) => s.requests), backgroundColor: colours, borderColor: colours, borderWidth: 1, maxBarThickness: 140 },
        ...evenLegend,
      ],
    },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: distributionTitle(summary), font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: `${algorithmLabel(summary.lab)} · ${formatInteger(summary.totals.requests)} requests · ${formatInteger(summary.totals.errors)} errors · p99 ${formatMs(summary.latency.p99Ms, hasData)} ms · ${formatRate(summary.totals.ratePerSec)} req/s${summary.fanout === true ? ' · fan-out: every POST reaches every server, no even share' : ''}`,
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: { display: even !== undefined, labels: { boxHeight: 2, filter: (item: { datasetIndex?: number }) => item.datasetIndex === 1 } },
      },
      scales: {
        x: { title: { display: true, text: 'server (X-Server-Id)', font: AXIS_TITLE_FONT } },
        y: {
          beginAtZero: true,
          suggestedMax: Math.max(1, ...servers.map((s) => s.requests), ...bars.map((bar) => bar.evenShare ?? 0)) * 1.25,
          title: { display: true, text: 'requests', font: AXIS_TITLE_FONT },
        },
      },
    },
  } as unknown as ChartConfiguration;
  return { configuration, bars };
}

/** Draws each bar's even-share mark, then its labels above the higher of the bar and the mark, so they never cross. */
function barMarksPlugin(bars: DistributionChartModel['bars']): Plugin {
  return {
    id: 'lblabBarMarks',
    afterDatasetsDraw(chart: Chart) {
      const meta = chart.getDatasetMeta(0);
      const yScale = chart.scales['y'];
      if (yScale === undefined) return;
      const { ctx } = chart;
      const family = chart.options.font?.family ?? 'sans-serif';
      ctx.save();
      // Labels never overlap: the font shrinks until the widest label fits its bar's slot.
      const slotPx = (chart.chartArea.right - chart.chartArea.left) / Math.max(1, bars.length) - 6;
      let fontPx = 14;
      const widest = (): number => {
        ctx.font = `bold ${fontPx}px ${family}`;
        return Math.max(0, ...bars.flatMap((bar) => bar.label.map((line) => ctx.measureText(line).width)));
      };
      while (fontPx > 8 && widest() > slotPx) fontPx -= 1;
      meta.data.forEach((element, index) => {
        const bar = bars[index];
        if (bar === undefined) return;
        const { x, y, width } = element.getProps(['x', 'y', 'width'], true) as { x: number; y: number; width: number };
        let top = y;
        if (bar.evenShare !== undefined) {
          const markY = yScale.getPixelForValue(bar.evenShare);
          ctx.strokeStyle = EVEN_SHARE_COLOUR;
          ctx.lineWidth = 2;
          ctx.setLineDash([8, 5]);
          ctx.beginPath();
          ctx.moveTo(x - width / 2 - 8, markY);
          ctx.lineTo(x + width / 2 + 8, markY);
          ctx.stroke();
          ctx.setLineDash([]);
          top = Math.min(top, markY);
        }
        ctx.textAlign = 'center';
        ctx.textBaseline = 'bottom';
        bar.label.forEach((line, lineIndex) => {
          ctx.font = `${lineIndex === 0 ? 'bold ' : ''}${fontPx}px ${family}`;
          ctx.fillStyle = '#222222';
          ctx.fillText(line, x, top - 6 - (bar.label.length - 1 - lineIndex) * (fontPx + 3));
        });
      });
      ctx.restore();
    },
  };
}

/** distribution.png. */
export async function renderDistributionChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer> {
  const model = buildDistributionChart(summary);
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer({ ...model.configuration, plugins: [barMarksPlugin(model.bars)] } as ChartConfiguration);
}
