import type * as z from 'zod';

type Path = readonly PropertyKey[];

/** `phases[0].rate`, `lab.faults.server2`; `the scenario` for the root. */
export function formatIssuePath(path: Path): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? 'the scenario' : text;
}

/** How a received value reads in a message: `"fast"`, `-3`, `true`, `null`, `a list`, `a mapping`. */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

/** The value at `path` in the parsed data, and whether anything is there. */
export function valueAt(data: unknown, path: Path): { present: boolean; value: unknown } {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return { present: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return { present: current !== undefined, value: current };
}

export interface LocatedMessage {
  /** Where in the data the message points (a field, or an unknown key). */
  readonly path: readonly PropertyKey[];
  readonly text: string;
}

function isSentence(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && (issue.params as { sentence?: unknown } | undefined)?.sentence === true;
}

/**
 * The messages for one zod issue (one per unknown key; otherwise one):
 * `phases[0].rate must be a positive number, got "fast"`,
 * `phases[0].rate is required in an open phase: ...`,
 * `phases[0].rat is not a known field; known fields: ...`.
 */
export function issueMessages(issue: z.core.$ZodIssue, data: unknown): LocatedMessage[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], text: `${formatIssuePath([...path, key])} is not a known field; ${issue.message}` }));
  }
  if (issue.code === 'invalid_key') {
    const key = path[path.length - 1];
    const inner = issue.issues[0]?.message ?? issue.message;
    return [{ path, text: `${formatIssuePath(path.slice(0, -1))} has the key ${describeReceived(key)}, which must be ${inner}` }];
  }
  const where = formatIssuePath(path);
  if (isSentence(issue)) return [{ path, text: `${where} ${issue.message}` }];
  const { present, value } = valueAt(data, path);
  if (!present) return [{ path, text: `${where} is required: ${issue.message}` }];
  return [{ path, text: `${where} must be ${issue.message}, got ${describeReceived(value)}` }];
}
