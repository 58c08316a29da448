import type { Chart, Plugin } from 'chart.js';

/** A band from `fromX` to `toX` (x scale units) behind the data. */
export interface ShadedRange {
  readonly fromX: number;
  readonly toX: number;
  readonly colour: string;
}

/** Draws translucent vertical bands across the chart area, under the datasets. */
export function shadedRangesPlugin(ranges: readonly ShadedRange[]): Plugin {
  return {
    id: 'lblabShadedRanges',
    beforeDatasetsDraw(chart: Chart) {
      const xScale = chart.scales['x'];
      if (xScale === undefined || ranges.length === 0) return;
      const { ctx, chartArea } = chart;
      ctx.save();
      for (const range of ranges) {
        const left = Math.max(chartArea.left, xScale.getPixelForValue(range.fromX));
        // At least 3 px, so a window of a few ms still shows.
        const right = Math.min(chartArea.right, Math.max(left + 3, xScale.getPixelForValue(range.toX)));
        if (right <= left) continue;
        ctx.fillStyle = range.colour;
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
      }
      ctx.restore();
    },
  };
}
