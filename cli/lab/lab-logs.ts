import type { LabMember } from '../runtime/runtime.js';
import { naturalCompare } from '../load/natural-compare.js';
import type { OpenLab } from './open-lab.js';
import { PrefixedLines } from './prefixed-lines.js';

export interface LabLogsOptions {
  readonly follow: boolean;
  /** Last lines of each member to show first. */
  readonly tail: number;
  readonly sinceMs?: number;
  /** One member only (for --since on a single member). */
  readonly only?: string;
  readonly color: boolean;
  readonly write: (text: string) => void;
  readonly signal?: AbortSignal;
}

/** The balancer first, then the servers in natural order. */
function ordered(members: readonly LabMember[]): LabMember[] {
  return [...members].sort((a, b) => (a.role === b.role ? naturalCompare(a.name, b.name) : a.role === 'balancer' ? -1 : 1));
}

/**
 * Every member's logs, each line prefixed with its member's name. The lines
 * already written are merged in time order (each line carries its time);
 * with `follow`, new lines are then printed as they come, until the signal aborts.
 */
export async function labLogs(lab: OpenLab, options: LabLogsOptions): Promise<void> {
  const members = ordered(await lab.runtime.list(lab.record.lab)).filter((m) => options.only === undefined || m.name === options.only);
  const width = Math.max(...members.map((m) => m.name.length), 1);
  const prefix = (index: number): { width: number; colorIndex?: number; sinceMs?: number } => ({
    width,
    ...(options.color ? { colorIndex: index } : {}),
    ...(options.sinceMs === undefined ? {} : { sinceMs: options.sinceMs }),
  });

  const past: { line: string; timeMs: number; order: number }[] = [];
  await Promise.all(
    members.map(async (member, index) => {
      let lastTimeMs = 0;
      const stream = new PrefixedLines(member.name, prefix(index), (line, timeMs) => {
        lastTimeMs = timeMs ?? lastTimeMs;
        past.push({ line, timeMs: lastTimeMs, order: past.length });
      });
      await lab.runtime.logs(lab.record.lab, member.name, { follow: false, tail: options.tail, out: stream });
      stream.flushRest();
    }),
  );
  past.sort((a, b) => a.timeMs - b.timeMs || a.order - b.order);
  for (const entry of past) options.write(`${entry.line}\n`);
  if (!options.follow) return;

  await Promise.all(
    members.map(async (member, index) => {
      const stream = new PrefixedLines(member.name, { ...prefix(index) }, (line) => options.write(`${line}\n`));
      // tail 0: only what comes after the lines printed above.
      await lab.runtime.logs(lab.record.lab, member.name, {
        follow: true,
        tail: 0,
        out: stream,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      stream.flushRest();
    }),
  );
}
