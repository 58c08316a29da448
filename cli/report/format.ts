const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234 → "1,234". */
export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** 0.3334 → "33.3%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** Milliseconds with 2 decimals below 10 ms, 1 below 1 s, none above: "1.23", "45.6", "1234". */
export function formatMsValue(ms: number): string {
  if (ms < 10) return ms.toFixed(2);
  if (ms < 1000) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** 3000 → "3s", 3500 → "3.5s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
