import type { ChartConfiguration, Plugin } from 'chart.js';
import { algorithmLabel } from '../algorithm-label.js';
import { formatInteger } from '../format.js';
import type { RunSummary } from '../run-summary.js';
import { chartCanvas } from './chart-canvas.js';
import { AXIS_TITLE_FONT, SUBTITLE_FONT, TITLE_FONT, type ChartRenderOptions } from './chart-options.js';
import { eventLinesPlugin, type EventLine } from './event-lines-plugin.js';
import { ACTION_COLOUR, isPseudoServer, serverColours } from './palette.js';
import { eventLegendDatasets, runEventLines } from './run-events.js';
import { shadedRangesPlugin, type ShadedRange } from './shaded-ranges-plugin.js';
import { pointRadiusFor, ratePoint, timelineBuckets } from './time-points.js';
import { timeAxis } from './time-axis.js';

export const LINE_WIDTH_PX = 2;
const TOTAL_COLOUR = '#222222';
const ERROR_COLOUR = '#D50000';
const BALANCER_ANSWER_COLOURS: Readonly<Record<string, string>> = { '502': '#FF6D00', '503': '#AA00FF', '504': '#795548' };
const PHASE_COLOUR = '#607D8B';
const DOWN_SHADE = 'rgba(213, 0, 0, 0.10)';
const UP_SHADE = 'rgba(0, 158, 115, 0.12)';

/** What each of the balancer's own answers means. */
export const BALANCER_ANSWER_MEANING: Readonly<Record<string, string>> = {
  '502': 'server failed',
  '503': 'no server available',
  '504': 'server timed out',
};

export interface TimelineChartModel {
  readonly configuration: ChartConfiguration;
  /** Labelled vertical lines: actions, health changes, phase starts, faults from the start. */
  readonly events: readonly EventLine[];
  /** Failover windows. */
  readonly shaded: readonly ShadedRange[];
}

/**
 * timeline.png as data: the total rate, one line per server, errors on top
 * in their own colour, the balancer's own 5xx answers named, every line the
 * same width; actions, health changes, phase starts and faults from the
 * start marked; failover windows shaded. Pure.
 */
export function buildTimelineChart(summary: RunSummary): TimelineChartModel {
  const buckets = timelineBuckets(summary);
  const names = summary.servers.filter((s) => !isPseudoServer(s.name) && (s.requests > 0 || summary.lab.servers.includes(s.name))).map((s) => s.name);
  const colours = serverColours(names);
  const radius = pointRadiusFor(buckets.length);
  const line = (label: string, colour: string, data: { x: number; y: number }[], order: number, extra: Record<string, unknown> = {}) => ({
    label,
    data,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: LINE_WIDTH_PX,
    pointRadius: radius,
    pointHoverRadius: radius,
    tension: 0,
    order,
    ...extra,
  });
  const total = line(
    'total',
    TOTAL_COLOUR,
    buckets.map((bucket) => ratePoint(bucket, Object.values(bucket.byServer).reduce((sum, count) => sum + count, 0))),
    2,
    // Dashed and over the servers: it stays visible where one server takes everything.
    { borderDash: [5, 4] },
  );
  const servers = names.map((name, index) => line(name, colours[index] ?? '#000000', buckets.map((bucket) => ratePoint(bucket, bucket.byServer[name] ?? 0)), 3));
  const errors =
    summary.totals.errors > 0
      ? [line('errors (5xx or no response)', ERROR_COLOUR, buckets.map((bucket) => ratePoint(bucket, bucket.errors)), 0, { backgroundColor: 'rgba(213, 0, 0, 0.15)', fill: 'origin' })]
      : [];
  const answerStatuses = [...new Set(buckets.flatMap((bucket) => Object.keys(bucket.balancerAnswers)))].sort();
  const answers = answerStatuses.map((status) =>
    line(
      `balancer's own ${status} (${BALANCER_ANSWER_MEANING[status] ?? 'no server answered'})`,
      BALANCER_ANSWER_COLOURS[status] ?? '#9E9E9E',
      buckets.map((bucket) => ratePoint(bucket, bucket.balancerAnswers[status] ?? 0)),
      1,
      { borderDash: [6, 3] },
    ),
  );

  const events: EventLine[] = [...runEventLines(summary)];
  const phases = summary.phases ?? [];
  // Phases repeat in every pass of an algorithms run: marked only when the scenario has several.
  if (new Set(phases.map((phase) => phase.name)).size > 1) {
    for (const phase of phases) events.push({ xValue: phase.startMs / 1000, label: `phase ${phase.name}`, colour: PHASE_COLOUR, dash: [2, 3] });
  }
  const faults = Object.entries(summary.initialFaults ?? {});
  if (faults.length > 0) {
    events.push({ xValue: 0, label: `faults from the start: ${faults.map(([server, fault]) => `${server} ${fault}`).join(', ')}`, colour: PHASE_COLOUR, dash: [2, 3] });
  }
  const shaded: ShadedRange[] = (summary.failover ?? [])
    .map((row) => {
      const endMs = row.direction === 'down' ? row.windowEndMs : Math.max(row.markedMs ?? 0, row.servedMs ?? 0);
      return endMs === null ? undefined : { fromX: row.atMs / 1000, toX: (row.atMs + endMs) / 1000, colour: row.direction === 'down' ? DOWN_SHADE : UP_SHADE };
    })
    .filter((range): range is ShadedRange => range !== undefined);

  const bucketMs = summary.timeline?.bucketMs ?? buckets[0]?.widthMs ?? 1000;
  const shadeLegend = shaded.length > 0 ? [{ label: 'failover window (shaded)', data: [], borderColor: DOWN_SHADE, backgroundColor: DOWN_SHADE, borderWidth: 8, pointRadius: 0 }] : [];
  const configuration = {
    type: 'line',
    data: { datasets: [...errors, ...answers, ...servers, total, ...eventLegendDatasets(summary), ...shadeLegend] },
    options: {
      layout: { padding: { top: 8, right: 24, bottom: 8, left: 8 } },
      plugins: {
        title: { display: true, text: `Requests per second — ${summary.scenario}`, font: TITLE_FONT, padding: { top: 8, bottom: 4 } },
        subtitle: {
          display: true,
          text: `${typeof summary.lab.algorithm === 'string' ? summary.lab.algorithm : `${summary.lab.algorithm.length} algorithms in turn`} · ${formatInteger(summary.totals.requests)} requests in ${(summary.durationMs / 1000).toFixed(1)} s · ${formatInteger(summary.totals.errors)} errors · rate per ${bucketMs} ms bucket, plotted at its centre`,
          font: SUBTITLE_FONT,
          padding: { bottom: 8 },
        },
        legend: { display: true, position: 'bottom', labels: { usePointStyle: false, boxWidth: 28, boxHeight: 2 } },
      },
      scales: {
        x: timeAxis(summary),
        y: { beginAtZero: true, grace: '25%', title: { display: true, text: 'responses per second (req/s)', font: AXIS_TITLE_FONT } },
      },
    },
  } as unknown as ChartConfiguration;
  return { configuration, events, shaded };
}

/** timeline.png. */
export async function renderTimelineChart(summary: RunSummary, options: ChartRenderOptions = {}): Promise<Buffer> {
  const model = buildTimelineChart(summary);
  const plugins: Plugin[] = [shadedRangesPlugin(model.shaded), eventLinesPlugin(model.events)];
  return chartCanvas(options.widthPx, options.heightPx).renderToBuffer({ ...model.configuration, plugins } as ChartConfiguration);
}

export { ACTION_COLOUR };
