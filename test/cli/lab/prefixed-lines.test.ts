import { describe, expect, it } from 'vitest';
import { PrefixedLines, prefixLine } from '../../../cli/lab/prefixed-lines.js';
import { useColor } from '../../../cli/lab/use-color.js';
import { parseSince } from '../../../cli/commands/parse-since.js';

async function feed(stream: PrefixedLines, chunks: readonly string[]): Promise<void> {
  for (const chunk of chunks) await new Promise<void>((resolve) => stream.write(chunk, () => resolve()));
  await new Promise<void>((resolve) => stream.end(() => resolve()));
}

describe('PrefixedLines', () => {
  it('cuts chunks into lines and prefixes each with the padded name', async () => {
    const lines: string[] = [];
    await feed(new PrefixedLines('server1', { width: 8 }, (line) => lines.push(line)), ['one\ntw', 'o\nthree']);
    expect(lines).toEqual(['server1  | one', 'server1  | two', 'server1  | three']);
  });

  it('colours the prefix only when given a colour', () => {
    expect(prefixLine('b', 'x', { width: 1, colorIndex: 0 })).toBe('\u001b[36mb |\u001b[0m x');
    expect(prefixLine('b', 'x', { width: 1 })).toBe('b | x');
  });

  it('with sinceMs leaves out older stamped lines and the unstamped lines that follow them', async () => {
    const lines: string[] = [];
    const sinceMs = Date.parse('2026-01-01T00:00:10Z');
    await feed(new PrefixedLines('s', { width: 1, sinceMs }, (line) => lines.push(line)), [
      'before start\n2026-01-01T00:00:05.000Z old\n  old detail\n2026-01-01T00:00:10.000Z new\n  new detail\n',
    ]);
    expect(lines).toEqual(['s | 2026-01-01T00:00:10.000Z new', 's |   new detail']);
  });
});

describe('useColor', () => {
  it('colours a terminal unless NO_COLOR is set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });
});

describe('parseSince', () => {
  it('reads a duration back from now, or a time', () => {
    expect(parseSince('--since', '10s', 100_000)).toBe(90_000);
    expect(parseSince('--since', '2m', 200_000)).toBe(80_000);
    expect(parseSince('--since', '2026-01-01T00:00:00Z')).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(() => parseSince('--since', 'yesterday')).toThrow(
      '--since must be a duration like 30 (seconds), 10s or 5m, or a time like 2026-01-31T10:00:00Z, got "yesterday"',
    );
  });
});
