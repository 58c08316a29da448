const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * The last `width` values as a sparkline exactly `width` columns wide,
 * right-aligned (the newest value is the last column). 0 is a blank, any
 * other value at least `▁`, NaN (no data: the server was gone) a `·` so a
 * gap shows as a gap; `max` sets the scale so rows can share one.
 */
export function sparkline(values: readonly number[], width: number, max?: number): string {
  if (width <= 0) return '';
  const shown = values.slice(-width);
  const top = max ?? Math.max(0, ...shown.filter((value) => !Number.isNaN(value)));
  const glyphs = shown.map((value) => {
    if (Number.isNaN(value)) return '·';
    if (!(value > 0) || !(top > 0)) return ' ';
    const level = Math.ceil((Math.min(value, top) / top) * LEVELS.length) - 1;
    return LEVELS[Math.max(0, Math.min(LEVELS.length - 1, level))] ?? ' ';
  });
  return glyphs.join('').padStart(width);
}
