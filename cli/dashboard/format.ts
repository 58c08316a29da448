// Short, fixed-width texts for the dashboard's columns and lines.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** Local wall time `12:03:04.512`. */
export function formatClockMs(epochMs: number): string {
  const date = new Date(epochMs);
  return `${formatClock(epochMs)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/** Local wall time `12:03:04`. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** `0:07`, `12:30`, `1:02:03`. */
export function formatElapsed(ms: number): string {
  const totalSec = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSec / 3600);
  const minutes = Math.floor((totalSec % 3600) / 60);
  const seconds = totalSec % 60;
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

/** A length of time: `4.8s` under a minute, then `1:05`. */
export function formatSpan(ms: number): string {
  return ms < 60_000 ? `${(Math.max(0, ms) / 1000).toFixed(1)}s` : formatElapsed(ms);
}

/** `12,345`, then `1.23M` from ten million, so it fits 7 columns. */
export function formatCount(count: number): string {
  if (count >= 10_000_000) return `${(count / 1_000_000).toFixed(count >= 100_000_000 ? 0 : 1)}M`;
  return integer.format(count);
}

/** Requests per second: `0`, `412`, `9,999`, `12.3k`. */
export function formatRate(perSec: number): string {
  if (perSec >= 10_000) return `${(perSec / 1000).toFixed(perSec >= 100_000 ? 0 : 1)}k`;
  if (perSec > 0 && perSec < 10) return perSec.toFixed(1).replace(/\.0$/, '');
  return integer.format(perSec);
}

/** 0..1 as `34%`. */
export function formatShare(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** 0..1 as `0.0%`, `12.5%`, `100%`. */
export function formatErrorRate(fraction: number): string {
  const percent = fraction * 100;
  return percent >= 99.95 ? '100%' : `${percent.toFixed(1)}%`;
}

/** Milliseconds without a unit, for a column headed "ms": `-`, `1.2`, `48`, `12s`. */
export function formatMsBare(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '-';
  if (ms < 10) return ms.toFixed(1);
  if (ms < 10_000) return ms.toFixed(0);
  return `${(ms / 1000).toFixed(0)}s`;
}

/** Milliseconds with a unit: `1.2ms`, `250ms`, `1.50s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  return `${ms.toFixed(1)}ms`;
}

/** Cuts `text` to `width` columns, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}

/** Exactly `width` columns: cut, then padded on the right (or the left with `align: 'right'`). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/** A line split at spaces into lines of at most `width` columns (continuations indented by 2); a word longer than the width is cut. */
export function wrapWords(line: string, width: number): string[] {
  if (line.length <= width || width < 10) return [line];
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = `  ${word}`.slice(0, width);
  }
  if (current !== '') lines.push(current);
  return lines;
}
