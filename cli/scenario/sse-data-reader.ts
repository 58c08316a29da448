/**
 * Reads the `data` of server-sent events from a text/event-stream body fed in
 * chunks: `data:` lines gathered until a blank line, comments and other
 * fields ignored. Enough for the balancer's GET /events.
 */
export class SseDataReader {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private data: string[] = [];

  /** Feeds a chunk; returns the data of the events it completed. */
  push(chunk: Uint8Array | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: string[] = [];
    for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      if (line === '') {
        if (this.data.length > 0) events.push(this.data.join('\n'));
        this.data = [];
      } else if (line.startsWith('data:')) {
        this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
    }
    return events;
  }
}
