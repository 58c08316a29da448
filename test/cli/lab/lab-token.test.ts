import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerHeaders, createLabToken, readLabToken, tokenPath, writeLabToken } from '../../../cli/lab/lab-token.js';
import { labDir } from '../../../cli/paths.js';

describe('lab token', () => {
  let home: string;
  const saved = process.env.LBLAB_HOME;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-token-'));
    process.env.LBLAB_HOME = home;
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.LBLAB_HOME;
    else process.env.LBLAB_HOME = saved;
    await rm(home, { recursive: true, force: true });
  });

  it('is random, at least 128 bits, and URL-safe', () => {
    const tokens = new Set(Array.from({ length: 100 }, createLabToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });

  it('is kept owner-only: the file 0600 in a 0700 folder, read back as written', async () => {
    const token = createLabToken();
    await writeLabToken('lab1', token);
    expect((await stat(tokenPath('lab1'))).mode & 0o777).toBe(0o600);
    expect((await stat(labDir('lab1'))).mode & 0o777).toBe(0o700);
    expect(await readLabToken('lab1')).toBe(token);
  });

  it('a lab without a token file has none', async () => {
    expect(await readLabToken('nosuch')).toBeUndefined();
  });

  it('goes in a Bearer header, and no header without a token', () => {
    expect(bearerHeaders('abc')).toEqual({ authorization: 'Bearer abc' });
    expect(bearerHeaders(undefined)).toEqual({});
  });
});
