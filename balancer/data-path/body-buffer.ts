import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';

/**
 * `complete`: the whole body, held so it can be sent more than once.
 * `too-large`: longer than the limit; `stream` yields the whole body (what was
 * read, then the rest), to be sent once.
 * `aborted`: the client went away mid-body.
 */
export type BodyRead =
  | { readonly kind: 'complete'; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly stream: Readable }
  | { readonly kind: 'aborted' };

/** Reads a request body up to `limitBytes`; a declared Content-Length above it is `too-large` at once. */
export function readBodyUpTo(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.resolve({ kind: 'too-large', stream: req });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      chunks.push(chunk);
      if (size <= limitBytes) return;
      cleanup();
      req.pause();
      const stream = new PassThrough();
      for (const part of chunks) stream.write(part);
      req.pipe(stream);
      resolve({ kind: 'too-large', stream });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ kind: 'complete', body: Buffer.concat(chunks, size) });
    };
    const onError = (): void => {
      cleanup();
      resolve({ kind: 'aborted' });
    };
    const onClose = (): void => {
      if (req.complete) return;
      cleanup();
      resolve({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
