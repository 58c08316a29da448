import { describe, expect, test } from 'vitest';
import { SseParser } from '../../../cli/lab/sse-parser.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('SseParser', () => {
  test('dispatches on a blank line and ignores comments and other fields', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nretry: 1000\nid: 7\ndata: {"a":1}\n\n')).toEqual([{ event: 'message', data: '{"a":1}', id: '7' }]);
  });

  test('joins several data lines with a newline and keeps the event name', () => {
    const parser = new SseParser();
    expect(parser.push('event: health\ndata: one\ndata:two\n\n')).toEqual([{ event: 'health', data: 'one\ntwo', id: undefined }]);
  });

  test('handles chunks split anywhere: inside a field, between CR and LF, inside a UTF-8 character', () => {
    const text = 'data: {"detail":"2 checks → down"}\r\n\r\ndata: second\r\rdata: third\n\n';
    const all = bytes(text);
    for (let size = 1; size <= 7; size++) {
      const parser = new SseParser();
      const messages = [];
      for (let i = 0; i < all.length; i += size) messages.push(...parser.push(all.slice(i, i + size)));
      expect(messages.map((m) => m.data), `chunks of ${size}`).toEqual(['{"detail":"2 checks → down"}', 'second', 'third']);
    }
  });

  test('keeps an unfinished event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('data: half')).toEqual([]);
    expect(parser.push('\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'half', id: undefined }]);
  });
});
