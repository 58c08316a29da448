import { readFile, writeFile } from 'node:fs/promises';
import { LabError } from '../errors.js';
import type { RequestLogEntry } from './request-log.js';

/** First line of a schedule file. */
export const SCHEDULE_HEADER = '# lblab schedule v1: offset_ms method path key body_bytes (tab-separated)';

/** A recorded request schedule: request i at offsetsMs[i] with paths[i]. */
export interface RequestSchedule {
  readonly offsetsMs: readonly number[];
  readonly methods: readonly string[];
  readonly paths: readonly string[];
  readonly keys: readonly string[];
  readonly bodyBytes: readonly number[];
}

export interface ScheduleRequestInfo {
  readonly method: string;
  readonly bodyBytes: number;
  /** The query parameter holding the key, if keys were spread. */
  readonly keyParam?: string;
}

function keyIn(path: string, param: string | undefined): string {
  if (param === undefined) return '';
  const match = new RegExp(`[?&]${param.replace(/[.~-]/g, '\\$&')}=([^&]*)`).exec(path);
  return match?.[1] ?? '';
}

/** The schedule file's text: the requests in the order they were sent (by due time), offsets from the first phase's start, to 0.001 ms. */
export function formatSchedule(requests: readonly { readonly entry: RequestLogEntry; readonly info: ScheduleRequestInfo }[]): string {
  const ordered = requests.map((request, index) => ({ ...request, index })).sort((a, b) => a.entry.startMs - b.entry.startMs || a.index - b.index);
  const lines = [SCHEDULE_HEADER];
  for (const { entry, info } of ordered) {
    lines.push([Math.max(0, Math.round(entry.startMs * 1000) / 1000), info.method, entry.path, keyIn(entry.path, info.keyParam), info.bodyBytes].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

export async function writeScheduleFile(file: string, text: string): Promise<void> {
  await writeFile(file, text);
}

/** Reads a schedule file written by `lblab run --record`. Throws LabError LBLAB_BAD_INPUT naming the file and line. */
export function parseSchedule(text: string, file: string): RequestSchedule {
  const lines = text.split('\n');
  if (lines[0] !== SCHEDULE_HEADER) {
    throw new LabError('LBLAB_BAD_INPUT', `${file} is not an lblab schedule: its first line must be "${SCHEDULE_HEADER}", got "${(lines[0] ?? '').slice(0, 80)}"`);
  }
  const schedule = { offsetsMs: [] as number[], methods: [] as string[], paths: [] as string[], keys: [] as string[], bodyBytes: [] as number[] };
  let previousMs = 0;
  for (const [index, line] of lines.entries()) {
    if (index === 0 || line === '') continue;
    const [offset, method, path, key, body] = line.split('\t');
    const offsetMs = Number(offset);
    if (!Number.isFinite(offsetMs) || offsetMs < previousMs || method === undefined || path === undefined || !path.startsWith('/')) {
      throw new LabError('LBLAB_BAD_INPUT', `${file}:${index + 1}: expected offset_ms (not below the line before), method, path, key, body_bytes separated by tabs, got "${line.slice(0, 80)}"`);
    }
    previousMs = offsetMs;
    schedule.offsetsMs.push(offsetMs);
    schedule.methods.push(method);
    schedule.paths.push(path);
    schedule.keys.push(key ?? '');
    schedule.bodyBytes.push(Number(body ?? 0) || 0);
  }
  if (schedule.offsetsMs.length === 0) throw new LabError('LBLAB_BAD_INPUT', `${file} holds no requests`);
  return schedule;
}

export async function readScheduleFile(file: string): Promise<RequestSchedule> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LabError('LBLAB_BAD_INPUT', `cannot read the replay file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return parseSchedule(text, file);
}
