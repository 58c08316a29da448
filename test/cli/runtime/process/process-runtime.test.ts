// The process runtime in-process: real sample-server processes started,
// signalled and removed through the Runtime interface (no binary, no Docker).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProcessRuntime } from '../../../../cli/runtime/process/process-runtime.js';
import { findFreePortPair } from '../../../../cli/runtime/ports.js';
import type { LabRuntimeInfo } from '../../../../cli/runtime/runtime.js';
import { labProcesses } from '../../../helpers/lab-processes.js';

const lab = `proc${process.pid}`;
const runtime = new ProcessRuntime();
let home: string;
let info: LabRuntimeInfo;

async function serverIdAt(url: string): Promise<string | null> {
  const response = await fetch(`${url}/home`, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.headers.get('x-server-id');
}

async function stateOf(name: string): Promise<string | undefined> {
  return (await runtime.list(lab)).find((member) => member.name === name)?.state;
}

describe('ProcessRuntime', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-proc-'));
    vi.stubEnv('LBLAB_HOME', home);
    const port = await findFreePortPair();
    info = { lab, port, adminPort: port + 1 };
    await runtime.prepare();
  });

  afterAll(async () => {
    await runtime.down(lab);
    expect(await labProcesses(lab)).toEqual([]);
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  it('starts a server that answers as itself, and lists it', async () => {
    const member = await runtime.startServer(info, { name: 'server1', app: 'greeting' });
    expect(member).toMatchObject({ name: 'server1', role: 'server', state: 'running' });
    expect(member.upstreamUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await vi.waitFor(async () => expect(await serverIdAt(member.upstreamUrl ?? '')).toBe('server1'), { timeout: 10_000, interval: 50 });
    expect(await runtime.labs()).toContain(lab);
  }, 20_000);

  it('pause, unpause, kill and revive change the member state the runtime reports', async () => {
    // Signals are delivered asynchronously: wait for /proc to show them.
    await runtime.pause(lab, 'server1');
    await vi.waitFor(async () => expect(await stateOf('server1')).toBe('paused'), { timeout: 10_000 });
    await runtime.unpause(lab, 'server1');
    await vi.waitFor(async () => expect(await stateOf('server1')).toBe('running'), { timeout: 10_000 });
    await runtime.kill(lab, 'server1');
    await vi.waitFor(async () => expect(await stateOf('server1')).toBe('stopped'), { timeout: 10_000 });
    expect(await labProcesses(lab)).toEqual([]);
    await runtime.revive(lab, 'server1');
    expect(await stateOf('server1')).toBe('running');
    const url = (await runtime.list(lab)).find((m) => m.name === 'server1')?.upstreamUrl ?? '';
    await vi.waitFor(async () => expect(await serverIdAt(url)).toBe('server1'), { timeout: 10_000, interval: 50 });
  }, 30_000);

  it('shows the logs, and an unknown member is a usage error', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await runtime.logs(lab, 'server1', { follow: false, tail: 50, out });
    expect(Buffer.concat(chunks).toString('utf8')).not.toBe('');
    await expect(runtime.kill(lab, 'nosuch')).rejects.toMatchObject({ code: 'LBLAB_UNKNOWN_SERVER', exitCode: 2 });
  });

  it('remove stops and forgets one member; down removes the rest', async () => {
    await runtime.startServer(info, { name: 'server2', app: 'factorial' });
    await runtime.remove(lab, 'server1');
    expect((await runtime.list(lab)).map((m) => m.name)).toEqual(['server2']);
    const result = await runtime.down(lab);
    expect(result).toEqual({ removed: ['server2'], errors: [] });
    expect(await runtime.list(lab)).toEqual([]);
    expect(await labProcesses(lab)).toEqual([]);
  }, 20_000);
});
