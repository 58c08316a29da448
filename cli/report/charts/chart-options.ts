/** Size of a rendered chart; default 1000 × 600. */
export interface ChartRenderOptions {
  readonly widthPx?: number;
  readonly heightPx?: number;
}

export const TITLE_FONT = { size: 18, weight: 'bold' } as const;
export const SUBTITLE_FONT = { size: 14 } as const;
export const AXIS_TITLE_FONT = { size: 14, weight: 'bold' } as const;
