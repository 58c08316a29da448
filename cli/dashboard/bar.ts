const PARTIALS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'] as const;

/**
 * A horizontal bar exactly `width` columns wide for a fraction 0..1, in
 * eighths of a column: `███▍    `.
 */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(clamped * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIALS[eighths % 8] ?? '';
  return `${'█'.repeat(full)}${partial}`.padEnd(width);
}
