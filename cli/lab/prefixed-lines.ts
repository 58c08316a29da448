import { Writable } from 'node:stream';

// Cyan, yellow, green, magenta, blue, red: as docker compose cycles them.
const COLORS = [36, 33, 32, 35, 34, 31] as const;
const LEADING_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s/;

export interface PrefixOptions {
  /** The prefix is the name padded to this width, then ` | `. */
  readonly width: number;
  /** Colour index (cycled); undefined for no colour. */
  readonly colorIndex?: number;
  /** Lines stamped before this time (epoch ms) are left out; unstamped lines follow the stamped line before them. */
  readonly sinceMs?: number;
}

/** The epoch ms of a line's leading ISO time (lblab's members stamp every line), or undefined. */
export function lineTimeMs(line: string): number | undefined {
  const match = LEADING_TIME.exec(line);
  return match === null ? undefined : Date.parse(match[1] ?? '');
}

/** `server1  | line`, coloured when asked. */
export function prefixLine(name: string, line: string, options: PrefixOptions): string {
  const label = `${name.padEnd(options.width)} |`;
  const colored = options.colorIndex === undefined ? label : `\u001b[${COLORS[options.colorIndex % COLORS.length]}m${label}\u001b[0m`;
  return `${colored} ${line}`;
}

/**
 * A stream that cuts what a member writes into lines and hands each one on,
 * prefixed with the member's name (as `docker compose logs` does).
 */
export class PrefixedLines extends Writable {
  private rest = '';
  private keeping: boolean;

  constructor(
    private readonly name: string,
    private readonly options: PrefixOptions,
    private readonly onLine: (line: string, timeMs: number | undefined) => void,
  ) {
    super();
    this.keeping = options.sinceMs === undefined;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    const lines = (this.rest + chunk.toString()).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
    callback();
  }

  override _final(callback: () => void): void {
    this.flushRest();
    callback();
  }

  /** Hands on a last line that had no newline yet. */
  flushRest(): void {
    if (this.rest !== '') this.line(this.rest);
    this.rest = '';
  }

  private line(text: string): void {
    const line = text.replace(/\r$/, '');
    const timeMs = lineTimeMs(line);
    if (timeMs !== undefined && this.options.sinceMs !== undefined) this.keeping = timeMs >= this.options.sinceMs;
    if (this.keeping) this.onLine(prefixLine(this.name, line, this.options), timeMs);
  }
}
