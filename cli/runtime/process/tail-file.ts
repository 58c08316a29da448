import { open, readFile, stat } from 'node:fs/promises';

/** The last `lines` lines of a file ('' when it does not exist). */
export async function lastLines(file: string, lines: number): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  if (lines <= 0) return '';
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  return all.slice(-lines).map((line) => `${line}\n`).join('');
}

/** Writes what is appended to `file` until `signal` aborts, polling every pollMs. */
export async function followFile(file: string, out: NodeJS.WritableStream, signal: AbortSignal | undefined, pollMs = 200): Promise<void> {
  let position = await stat(file).then((s) => s.size, () => 0);
  while (signal?.aborted !== true) {
    await new Promise<void>((resolve) => {
      // One listener at a time: a listener left behind by every poll would pile up on the signal.
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, pollMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size < position) position = 0;
    if (size === position) continue;
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(size - position);
      await handle.read(buffer, 0, buffer.length, position);
      out.write(buffer);
      position = size;
    } finally {
      await handle.close();
    }
  }
}
