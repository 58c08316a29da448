/** What an image import, build or pull printed, once the stream ended without an error. */
export interface ProgressResult {
  /** The `stream` and `status` lines, trimmed, in order (the last ones matter for messages). */
  readonly lines: readonly string[];
}

/** An error the engine reported inside a progress stream (the HTTP status was 200). */
export class ProgressError extends Error {
  /** The last output lines before the error, for context. */
  readonly lines: readonly string[];

  constructor(message: string, lines: readonly string[]) {
    super(message);
    this.name = 'ProgressError';
    this.lines = lines;
  }
}

interface ProgressMessage {
  readonly stream?: unknown;
  readonly status?: unknown;
  readonly error?: unknown;
  readonly errorDetail?: { readonly message?: unknown };
}

const KEPT_LINES = 200;

/**
 * Reads the JSON-lines progress of POST /build, /images/create and
 * /images/load. The engine reports failures inside the stream with an
 * `error` field, so a 200 answer is not a success until the stream ends clean.
 */
export async function readProgress(stream: AsyncIterable<Buffer | string>): Promise<ProgressResult> {
  const lines: string[] = [];
  let pending = '';
  let failure: string | undefined;
  const take = (text: string): void => {
    const trimmed = text.trim();
    if (trimmed === '') return;
    let message: ProgressMessage;
    try {
      message = JSON.parse(trimmed) as ProgressMessage;
    } catch {
      lines.push(trimmed);
      return;
    }
    const errorText = typeof message.errorDetail?.message === 'string' ? message.errorDetail.message : message.error;
    if (typeof errorText === 'string' && failure === undefined) failure = errorText.trim();
    for (const value of [message.stream, message.status]) {
      if (typeof value === 'string') {
        for (const line of value.split('\n')) if (line.trim() !== '') lines.push(line.trim());
      }
    }
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
  };
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      take(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  }
  take(pending);
  if (failure !== undefined) throw new ProgressError(failure, lines);
  return { lines };
}
