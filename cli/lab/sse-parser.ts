/** One server-sent event: `data` lines joined with "\n". */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * Incremental parser for a text/event-stream body (the WHATWG rules that
 * matter here): lines end in LF, CRLF or CR, a blank line dispatches,
 * `:` lines are comments, several `data:` lines join with "\n". Chunks may
 * split anywhere, even between CR and LF or inside a UTF-8 character.
 */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private skipLeadingLf = false;
  private data: string[] = [];
  private event = '';
  private id: string | undefined;

  /** Feeds a chunk; returns the messages it completed. */
  push(chunk: Uint8Array | string): SseMessage[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const messages: SseMessage[] = [];
    for (;;) {
      if (this.skipLeadingLf && this.buffer.startsWith('\n')) this.buffer = this.buffer.slice(1);
      if (this.buffer.length > 0) this.skipLeadingLf = false;
      const end = this.buffer.search(/[\r\n]/);
      if (end < 0) break;
      const line = this.buffer.slice(0, end);
      const crlf = this.buffer[end] === '\r';
      this.buffer = this.buffer.slice(end + 1);
      // A CR at the end of a chunk may be followed by the LF of the same line ending.
      if (crlf) this.skipLeadingLf = true;
      const message = this.line(line);
      if (message !== undefined) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return undefined;
      }
      const message = { event: this.event === '' ? 'message' : this.event, data: this.data.join('\n'), id: this.id };
      this.data = [];
      this.event = '';
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    return undefined;
  }
}
