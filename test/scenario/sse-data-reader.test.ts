import { describe, expect, it } from 'vitest';
import { SseDataReader } from '../../cli/scenario/sse-data-reader.js';

describe('SseDataReader', () => {
  it('gathers data lines up to a blank line, across chunks, skipping comments', () => {
    const reader = new SseDataReader();
    expect(reader.push(': connected\n\ndata: {"a"')).toEqual([]);
    expect(reader.push(':1}\r\n\r\n: ping\n\ndata: x\ndata:y\n')).toEqual(['{"a":1}']);
    expect(reader.push('\n')).toEqual(['x\ny']);
  });

  it('decodes UTF-8 split between chunks', () => {
    const reader = new SseDataReader();
    const bytes = new TextEncoder().encode('data: é\n\n');
    expect([...reader.push(bytes.subarray(0, 7)), ...reader.push(bytes.subarray(7))]).toEqual(['é']);
  });
});
