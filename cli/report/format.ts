const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimalFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimalFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** What a table shows where there is no data (a server that served nothing has no latency). */
export const NO_DATA = '–';

/** 1234 → "1,234". */
export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** 0.3334 → "33.3%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Milliseconds with 2 decimals below 10 ms, 1 below 1 s, none above: "1.23", "45.6", "1,234". */
export function formatMsValue(ms: number): string {
  if (ms < 10) return twoDecimalFormat.format(ms);
  if (ms < 1000) return oneDecimalFormat.format(ms);
  return integerFormat.format(ms);
}

/** formatMsValue, or NO_DATA when `hasData` is false or the value is missing. */
export function formatMs(ms: number | null | undefined, hasData = true): string {
  return hasData && ms !== null && ms !== undefined && Number.isFinite(ms) ? formatMsValue(ms) : NO_DATA;
}

/** 1133.41 → "1,133.4". */
export function formatRate(perSec: number): string {
  return oneDecimalFormat.format(perSec);
}

/** 3000 → "3s", 3500 → "3.5s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

/** A signed change with separators: 7600 → "+7,600", -0.5 → "-0.50" (decimals given). */
export function formatSigned(value: number, decimals: number): string {
  const rounded = Number(value.toFixed(decimals));
  const text = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(Math.abs(rounded));
  return `${rounded > 0 ? '+' : rounded < 0 ? '-' : ''}${text}`;
}
