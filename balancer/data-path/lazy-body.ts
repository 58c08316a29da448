// The request body handed to undici for a streamed (not held) body. It reads
// the client's stream only once undici starts sending it on a connected
// socket, so a connection that fails before that leaves the client's stream
// untouched and the request can go to another server, whatever its method.
// It also shields the client's stream from undici, which destroys the body
// it was given when the upstream request fails.
import { Readable } from 'node:stream';

export class LazyBody extends Readable {
  /** undici began reading: some of the client's body may be gone with this attempt. */
  started = false;

  constructor(private readonly source: Readable) {
    super();
  }

  override _read(): void {
    if (this.started) {
      this.source.resume();
      return;
    }
    this.started = true;
    this.source.on('data', this.onData);
    this.source.on('end', this.onEnd);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.source.off('data', this.onData);
    this.source.off('end', this.onEnd);
    if (this.started) this.source.pause();
    callback(error);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.source.pause();
  };

  private readonly onEnd = (): void => {
    this.push(null);
  };
}
