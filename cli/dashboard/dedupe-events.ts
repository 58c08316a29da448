import type { EventLine } from './dashboard-state.js';

/** Two reports of one thing (the run's note and the balancer's event) arrive within this long of each other. */
export const SAME_EVENT_WINDOW_MS = 3_000;

const VERBS: readonly [RegExp, string][] = [
  [/^algorithm (?:\S+ )?(?:-> )?(\S+)/, 'algorithm'],
  [/^(?:kill|killed) (\S+)/, 'kill'],
  [/^(?:revive|revived) (\S+)/, 'revive'],
  [/^(?:pause|paused) (\S+)/, 'pause'],
  [/^(?:unpause|unpaused) (\S+)/, 'unpause'],
  [/^add (\S+)/, 'add'],
  [/^(\S+) added$/, 'add'],
  [/^rm (\S+)/, 'rm'],
  [/^(\S+) removed$/, 'rm'],
];

/** What an event line is about, e.g. `kill:server2` for both `kill server2` and `killed server2 (SIGKILL)`; undefined when not an action. */
export function eventSubject(text: string): string | undefined {
  for (const [pattern, verb] of VERBS) {
    const match = pattern.exec(text);
    if (match !== null) return `${verb}:${match[1] ?? ''}`;
  }
  return undefined;
}

/**
 * Each event once: a line about the same action as one shortly before it
 * (`algorithm -> random` after `algorithm random`, `killed server2
 * (SIGKILL)` after `kill server2`) is folded into the first, which keeps
 * its time and takes the fuller wording. Failures are never folded. Pure.
 */
export function dedupeEvents(events: readonly EventLine[]): EventLine[] {
  const kept: EventLine[] = [];
  const lastBySubject = new Map<string, number>();
  for (const event of events) {
    // A failure is news of its own, never folded into the action it failed.
    const subject = event.tone === 'bad' || / failed\b/.test(event.text) ? undefined : eventSubject(event.text);
    const index = subject === undefined ? undefined : lastBySubject.get(subject);
    const previous = index === undefined ? undefined : kept[index];
    if (index !== undefined && previous !== undefined && Math.abs(event.atMs - previous.atMs) <= SAME_EVENT_WINDOW_MS) {
      // Keep the first one's time and the fuller wording (`killed server2 (SIGKILL)` over `kill server2`).
      const text = event.text.length > previous.text.length ? event.text : previous.text;
      const detail = previous.detail ?? event.detail;
      kept[index] = { ...previous, text, ...(detail === undefined ? {} : { detail }) };
      continue;
    }
    if (subject !== undefined) lastBySubject.set(subject, kept.length);
    kept.push(event);
  }
  return kept;
}
