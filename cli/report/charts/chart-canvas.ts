import { ChartJSNodeCanvas } from 'chartjs-node-canvas';

export const CHART_WIDTH_PX = 1000;
export const CHART_HEIGHT_PX = 600;
/** A family fontconfig resolves on Linux images (DejaVu ships almost everywhere), then the generic fallback. */
export const CHART_FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

const canvases = new Map<string, ChartJSNodeCanvas>();

/**
 * One ChartJSNodeCanvas per size, created once and reused: each holds its own
 * Chart.js with every component registered (chart.js/auto), a white
 * background (never a transparent PNG) and readable default fonts.
 */
export function chartCanvas(widthPx: number = CHART_WIDTH_PX, heightPx: number = CHART_HEIGHT_PX): ChartJSNodeCanvas {
  const key = `${widthPx}x${heightPx}`;
  let canvas = canvases.get(key);
  if (canvas === undefined) {
    canvas = new ChartJSNodeCanvas({
      width: widthPx,
      height: heightPx,
      backgroundColour: 'white',
      chartCallback: (chart) => {
        chart.defaults.font.family = CHART_FONT_FAMILY;
        chart.defaults.font.size = 14;
        chart.defaults.color = '#222222';
        chart.defaults.animation = false;
        chart.defaults.responsive = false;
        chart.defaults.devicePixelRatio = 1;
      },
    });
    canvases.set(key, canvas);
  }
  return canvas;
}
