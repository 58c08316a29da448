import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { labDir } from '../paths.js';
import { ensureLabDir } from './lab-dir.js';

/** 256 bits, base64url: well above the 128 the admin API needs to be unguessable. */
const TOKEN_BYTES = 32;

/** The environment variable the balancer and the sample servers read the token from (never argv). */
export const TOKEN_ENV = 'LBLAB_TOKEN';

export function createLabToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

export function tokenPath(lab: string): string {
  return path.join(labDir(lab), 'token');
}

/** Keeps the token in .lblab/<lab>/token, mode 0600, written whole or not at all. */
export async function writeLabToken(lab: string, token: string): Promise<void> {
  await ensureLabDir(lab);
  const file = tokenPath(lab);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${token}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

/** The lab's token, or undefined when it has none (admin auth off, or no state folder here). */
export async function readLabToken(lab: string): Promise<string | undefined> {
  try {
    const token = (await readFile(tokenPath(lab), 'utf8')).trim();
    return token === '' ? undefined : token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The Authorization header that carries a token; none without one. */
export function bearerHeaders(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}
