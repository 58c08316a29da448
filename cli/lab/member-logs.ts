import { Writable } from 'node:stream';
import type { Runtime } from '../runtime/runtime.js';

/** The last lines a member wrote, for error messages; never throws. */
export async function recentLogLines(runtime: Runtime, lab: string, name: string, lines = 10): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  try {
    await runtime.logs(lab, name, { follow: false, tail: lines, out });
  } catch (error) {
    return `(no logs: ${(error as Error).message})`;
  }
  return Buffer.concat(chunks).toString('utf8').trimEnd();
}
