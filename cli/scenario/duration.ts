const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/;

/** The longest duration a scenario may name: one day. */
export const MAX_SCENARIO_DURATION_MS = 24 * 3_600_000;

/**
 * A scenario duration in whole milliseconds: a number of milliseconds
 * (`250`), or a string `"250"`, `"500ms"`, `"3s"`, `"1.5s"`.
 * Returns undefined for anything else (negative, empty, other units).
 */
export function parseScenarioDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = DURATION_PATTERN.exec(value.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  return match[2] === 's' ? Math.round(amount * 1000) : Math.round(amount);
}

/** 3000 → "3s", 3500 → "3.5s", 250 → "250ms". */
export function formatDurationMs(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
