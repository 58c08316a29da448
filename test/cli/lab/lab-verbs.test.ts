// The lab verbs' core functions in-process (no binary, no Docker): up, kill,
// revive, down on the process runtime, with real balancer and sample-server processes.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_HEALTH } from '../../../balancer/config/config.js';
import { down } from '../../../cli/lab/down.js';
import { applyMemberAction } from '../../../cli/lab/member-actions.js';
import { openLab } from '../../../cli/lab/open-lab.js';
import { up, type UpOptions } from '../../../cli/lab/up.js';
import { findFreePortPair } from '../../../cli/runtime/ports.js';
import { labProcesses } from '../../helpers/lab-processes.js';

const lab = `verbs${process.pid}`;
let home: string;
let options: UpOptions;
const logged: string[] = [];

async function healthOf(name: string): Promise<string | undefined> {
  const stats = await (await openLab(lab)).admin.stats();
  return stats.servers.find((server) => server.name === name)?.health;
}

describe('lab verbs in-process (process runtime)', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-verbs-'));
    vi.stubEnv('LBLAB_HOME', home);
    const port = await findFreePortPair();
    options = {
      lab,
      servers: 2,
      app: 'greeting',
      algorithm: 'round-robin',
      port,
      adminPort: port + 1,
      runtime: 'process',
      health: { ...DEFAULT_HEALTH, intervalMs: 100, timeoutMs: 80, fall: 1, rise: 1 },
      log: (line) => logged.push(line),
    };
    const result = await up(options);
    expect(result.servers).toEqual(['server1', 'server2']);
    expect(result.record).toMatchObject({ lab, runtime: 'process', app: 'greeting', port });
  }, 60_000);

  afterAll(async () => {
    const result = await down(lab);
    expect(result.errors).toEqual([]);
    expect(await labProcesses(lab)).toEqual([]);
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('up brought both servers up behind the balancer', async () => {
    expect(await healthOf('server1')).toBe('up');
    expect(await healthOf('server2')).toBe('up');
    expect((await labProcesses(lab)).length).toBe(3);
  });

  it('up refuses a second lab of the same name, and bad settings before anything starts', async () => {
    await expect(up(options)).rejects.toMatchObject({ code: 'LBLAB_LAB_ALREADY_UP', exitCode: 1 });
    await expect(up({ ...options, lab: `${lab}-bad`, adminPort: options.port })).rejects.toMatchObject({
      code: 'LBLAB_BAD_INPUT',
      exitCode: 2,
      message: `balancer settings: config.adminPort must differ from config.port, got ${options.port} for both`,
    });
    expect(await readdir(home)).toEqual([lab]);
  });

  it('kill takes a server down; revive brings it back and says when the balancer saw it', async () => {
    const killed = await applyMemberAction(await openLab(lab), 'kill', 'server2');
    expect(killed).toEqual({ name: 'server2', action: 'kill', before: 'running', changed: true });
    await vi.waitFor(async () => expect(await healthOf('server2')).toBe('down'), { timeout: 10_000, interval: 50 });
    const members = await (await openLab(lab)).runtime.list(lab);
    expect(members.find((m) => m.name === 'server2')?.state).toBe('stopped');

    const revived = await applyMemberAction(await openLab(lab), 'revive', 'server2');
    expect(revived).toMatchObject({ name: 'server2', action: 'revive', backUpAfterMs: expect.any(Number) });
    expect(await healthOf('server2')).toBe('up');
  }, 30_000);

  it('an unknown server is a usage error (exit 2) naming the servers there are', async () => {
    await expect(applyMemberAction(await openLab(lab), 'kill', 'nosuch')).rejects.toMatchObject({
      code: 'LBLAB_UNKNOWN_SERVER',
      exitCode: 2,
      message: `unknown server "nosuch"; servers: server1, server2. Their states: lblab status --lab ${lab}`,
    });
  });
});
