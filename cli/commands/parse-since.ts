import { parseDurationMs } from '../scenario/duration.js';
import { badInput } from './option-parsers.js';

/** `--since 10m` (that long before now) or `--since 2026-01-31T10:00:00Z`: the epoch ms to start from. */
export function parseSince(flag: string, text: string, nowMs: number = Date.now()): number {
  const ms = parseDurationMs(text, 's');
  if (ms !== undefined) return nowMs - ms;
  const time = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isFinite(time)) return time;
  throw badInput(`${flag} must be a duration like 30 (seconds), 10s or 5m, or a time like 2026-01-31T10:00:00Z, got ${JSON.stringify(text)}`);
}
