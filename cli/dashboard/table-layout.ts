/** Column widths of the server table for a terminal `width` columns wide. */
export interface TableLayout {
  readonly width: number;
  readonly marker: number;
  readonly name: number;
  readonly state: number;
  readonly health: number;
  readonly requests: number;
  readonly bar: number;
  readonly share: number;
  readonly rate: number;
  readonly spark: number;
  readonly latency: number;
  readonly errors: number;
}

const FIXED = { marker: 2, state: 7, health: 7, requests: 7, share: 4, rate: 5, latency: 10, errors: 5 } as const;
/** Single spaces between the columns after the marker. */
const GAPS = 9;
const MIN_BAR = 4;
const MIN_SPARK = 6;
const MAX_BAR = 30;

/**
 * Fixed columns keep their width; the share bar and the sparkline take what
 * is left (40% / 60%, the bar at most 30), so a wider terminal widens both.
 */
export function tableLayout(width: number, names: readonly string[]): TableLayout {
  const longest = Math.max(6, ...names.map((name) => name.length));
  const fixed = FIXED.marker + FIXED.state + FIXED.health + FIXED.requests + FIXED.share + FIXED.rate + FIXED.latency + FIXED.errors + GAPS;
  const name = Math.min(longest, 16, Math.max(6, width - fixed - MIN_BAR - MIN_SPARK));
  const flexible = Math.max(MIN_BAR + MIN_SPARK, width - fixed - name);
  const bar = Math.min(MAX_BAR, Math.max(MIN_BAR, Math.floor(flexible * 0.4)));
  const spark = Math.max(MIN_SPARK, flexible - bar);
  return { width: fixed + name + bar + spark, name, bar, spark, ...FIXED };
}
