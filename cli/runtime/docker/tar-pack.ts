import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';

export type TarEntry =
  | { readonly type: 'directory'; readonly name: string; readonly mode: number; readonly uid?: number }
  | { readonly type: 'file'; readonly name: string; readonly mode: number; readonly content: Buffer | string }
  /** A file read from disk while packing (no big buffers); `size` must be its size now. */
  | { readonly type: 'file-from-disk'; readonly name: string; readonly mode: number; readonly sourcePath: string; readonly size: number };

/** Fixed time stamps keep a tar's content, and so its image, the same for the same input. */
const EPOCH = new Date(0);

function addEntry(pack: tar.Pack, entry: TarEntry): Promise<void> {
  const header = { name: entry.name, mode: entry.mode, mtime: EPOCH, uid: 0, gid: 0 };
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error | null): void => (error ? reject(error) : resolve());
    switch (entry.type) {
      case 'directory':
        pack.entry({ ...header, type: 'directory', uid: entry.uid ?? 0, gid: entry.uid ?? 0 }, done);
        return;
      case 'file':
        pack.entry({ ...header, type: 'file' }, typeof entry.content === 'string' ? Buffer.from(entry.content) : entry.content, done);
        return;
      case 'file-from-disk': {
        const sink = pack.entry({ ...header, type: 'file', size: entry.size }, done);
        pipeline(createReadStream(entry.sourcePath), sink).catch(reject);
        return;
      }
    }
  });
}

/**
 * A tar stream of the entries, produced while it is read (files from disk
 * are streamed). A failure to read a file destroys the stream with that error.
 */
export function packTar(entries: readonly TarEntry[]): Readable {
  const pack = tar.pack();
  void (async () => {
    try {
      for (const entry of entries) await addEntry(pack, entry);
      pack.finalize();
    } catch (error) {
      pack.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  // tar-stream's pack is a streamx stream; callers get a plain Node stream.
  return Readable.from(pack, { objectMode: false });
}

/** Directory entries for every parent of the given paths (`usr/`, `usr/local/`...), parents first. */
export function parentDirectories(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const file of paths) {
    const parts = file.replace(/^\/+/, '').split('/');
    for (let depth = 1; depth < parts.length; depth += 1) dirs.add(parts.slice(0, depth).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}
