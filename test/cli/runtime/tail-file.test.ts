import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { getEventListeners } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { followFile, lastLines } from '../../../cli/runtime/process/tail-file.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function logFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-tail-'));
  dirs.push(dir);
  const file = path.join(dir, 'member.log');
  await writeFile(file, text);
  return file;
}

describe('lastLines', () => {
  it('gives the last n lines, and none for n = 0', async () => {
    const file = await logFile('a\nb\nc\n');
    expect(await lastLines(file, 2)).toBe('b\nc\n');
    expect(await lastLines(file, 0)).toBe('');
  });
});

describe('followFile', () => {
  it('writes what is appended, keeping at most one abort listener however long it polls', async () => {
    const file = await logFile('old\n');
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const stop = new AbortController();
    const following = followFile(file, out, stop.signal, 5);
    await appendFile(file, 'new line\n');
    await vi.waitFor(() => expect(written).toBe('new line\n'), { timeout: 5_000 });
    await appendFile(file, 'another\n');
    await vi.waitFor(() => expect(written).toBe('new line\nanother\n'), { timeout: 5_000 });
    expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
    stop.abort();
    await following;
  });
});
