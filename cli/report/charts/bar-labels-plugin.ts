import type { Chart, Plugin } from 'chart.js';

export interface BarLabelsOptions {
  /** Lines of text above bar `index` of dataset `datasetIndex`; undefined for none. */
  readonly labelFor: (datasetIndex: number, index: number) => readonly string[] | undefined;
  readonly fontSizePx?: number;
  /** `above` (vertical bars, default) or `right` (horizontal bars: after the end of the bar). */
  readonly placement?: 'above' | 'right';
}

/** A tiny inline plugin (instead of chartjs-plugin-datalabels): writes text above each bar, or after it for horizontal bars. */
export function barLabelsPlugin(options: BarLabelsOptions): Plugin {
  const fontSizePx = options.fontSizePx ?? 14;
  return {
    id: 'lblabBarLabels',
    afterDatasetsDraw(chart: Chart) {
      const { ctx } = chart;
      ctx.save();
      const right = options.placement === 'right';
      ctx.textAlign = right ? 'left' : 'center';
      ctx.textBaseline = right ? 'middle' : 'bottom';
      ctx.fillStyle = '#222222';
      // A white halo keeps labels readable over grid and reference lines.
      ctx.strokeStyle = 'white';
      ctx.lineWidth = 4;
      ctx.lineJoin = 'round';
      chart.data.datasets.forEach((_dataset, datasetIndex) => {
        const meta = chart.getDatasetMeta(datasetIndex);
        if (meta.type !== 'bar' || meta.hidden === true) return;
        meta.data.forEach((element, index) => {
          const lines = options.labelFor(datasetIndex, index);
          if (lines === undefined) return;
          const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
          const family = chart.options.font?.family ?? 'sans-serif';
          if (right) {
            ctx.font = `bold ${fontSizePx}px ${family}`;
            ctx.strokeText(lines.join('  '), x + 6, y);
            ctx.fillText(lines.join('  '), x + 6, y);
            return;
          }
          lines.forEach((line, lineIndex) => {
            const fromBottom = lines.length - 1 - lineIndex;
            ctx.font = `${lineIndex === 0 ? 'bold ' : ''}${fontSizePx}px ${family}`;
            const lineY = y - 4 - fromBottom * (fontSizePx + 3);
            ctx.strokeText(line, x, lineY);
            ctx.fillText(line, x, lineY);
          });
        });
      });
      ctx.restore();
    },
  };
}
