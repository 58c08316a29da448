import { chmod, mkdir } from 'node:fs/promises';
import { labDir } from '../paths.js';

/** The lab's state folder (record, token, process files, logs), readable by its owner only (0700), made if missing. */
export async function ensureLabDir(lab: string): Promise<string> {
  const dir = labDir(lab);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves the mode of a folder that was already there (and applies the umask).
  await chmod(dir, 0o700);
  return dir;
}
