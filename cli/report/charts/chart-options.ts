/** Size of a rendered chart; default 1000 × 600. */
export interface ChartRenderOptions {
  readonly widthPx?: number;
  readonly heightPx?: number;
}

export const TITLE_FONT = { size: 18, weight: 'bold' } as const;
export const SUBTITLE_FONT = { size: 14 } as const;
export const AXIS_TITLE_FONT = { size: 14, weight: 'bold' } as const;

/** The dashed "even share" reference line drawn over a bar chart. */
export function evenShareLine(label: string, data: readonly (number | null)[]) {
  return {
    type: 'line' as const,
    label,
    data: [...data],
    borderColor: '#555555',
    borderDash: [8, 5],
    borderWidth: 2,
    pointRadius: 0,
    order: 1,
  };
}
