import type { Chart, Plugin } from 'chart.js';

/** A vertical line at `xValue` (in the x scale's units) with a short label. */
export interface EventLine {
  readonly xValue: number;
  readonly label: string;
  readonly colour: string;
  /** Dash pattern, e.g. [6, 4]; [] for solid. */
  readonly dash: readonly number[];
}

const LABEL_FONT_PX = 13;
const LABEL_PADDING_PX = 3;

/**
 * A small inline plugin: draws each event as a vertical line across the chart
 * area, labelled at the top. Labels that would overlap go to the next row down.
 */
export function eventLinesPlugin(events: readonly EventLine[]): Plugin {
  return {
    id: 'lblabEventLines',
    afterDatasetsDraw(chart: Chart) {
      const xScale = chart.scales['x'];
      if (xScale === undefined || events.length === 0) return;
      const { ctx, chartArea } = chart;
      const family = chart.options.font?.family ?? 'sans-serif';
      ctx.save();
      ctx.font = `${LABEL_FONT_PX}px ${family}`;
      ctx.textBaseline = 'top';
      const sorted = [...events]
        .map((event) => ({ event, x: xScale.getPixelForValue(event.xValue) }))
        .filter(({ x }) => x >= chartArea.left - 1 && x <= chartArea.right + 1)
        .sort((a, b) => a.x - b.x);
      // Every line first, then every label, so no line crosses a label.
      for (const { event, x } of sorted) {
        ctx.strokeStyle = event.colour;
        ctx.lineWidth = 2;
        ctx.setLineDash([...event.dash]);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
      }
      ctx.setLineDash([]);
      const rowRightEdges: number[] = [];
      const boxHeightPx = LABEL_FONT_PX + 2 * LABEL_PADDING_PX;
      const areaWidth = chartArea.right - chartArea.left - 4;
      for (const { event, x } of sorted) {
        const label = fitText(ctx, event.label, areaWidth - 2 * LABEL_PADDING_PX);
        const width = ctx.measureText(label).width + 2 * LABEL_PADDING_PX;
        const toTheLeft = x + 4 + width > chartArea.right;
        // Beside its line, and never outside the plot area (a long label at x = 0 would otherwise run off the canvas).
        const left = Math.max(chartArea.left + 2, Math.min(toTheLeft ? x - 4 - width : x + 4, chartArea.right - width));
        let row = rowRightEdges.findIndex((rightEdge) => rightEdge + 4 <= left);
        if (row === -1) row = rowRightEdges.length;
        rowRightEdges[row] = left + width;
        const top = chartArea.top + 4 + row * (boxHeightPx + 3);
        ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
        ctx.fillRect(left, top, width, boxHeightPx);
        ctx.strokeStyle = event.colour;
        ctx.lineWidth = 1;
        ctx.strokeRect(left, top, width, boxHeightPx);
        ctx.fillStyle = event.colour;
        ctx.fillText(label, left + LABEL_PADDING_PX, top + LABEL_PADDING_PX);
      }
      ctx.restore();
    },
  };
}

/** `text`, cut with an ellipsis where it is wider than `maxWidthPx`. */
function fitText(ctx: { measureText(text: string): { width: number } }, text: string, maxWidthPx: number): string {
  if (ctx.measureText(text).width <= maxWidthPx) return text;
  let end = text.length;
  while (end > 1 && ctx.measureText(`${text.slice(0, end)}…`).width > maxWidthPx) end -= 1;
  return `${text.slice(0, end)}…`;
}
