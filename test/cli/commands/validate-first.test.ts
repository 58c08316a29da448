// Every flag and argument is checked before anything starts (issue 12): the
// whole program in-process, with an empty state folder, so a check that came
// after opening the lab would fail with "not up" (exit 1) instead.
import { mkdtemp, mkdir, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProgram } from '../../../cli/program.js';

let home: string;

async function run(...args: string[]): Promise<unknown> {
  const program = createProgram({ out: () => {}, err: () => {} });
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(['node', 'lblab', ...args]);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('checks before anything starts', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-validate-'));
    vi.stubEnv('LBLAB_HOME', path.join(home, 'state'));
    await mkdir(path.join(home, 'a-folder'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    [['up', '--port', '9000', '--admin-port', '9000'], '--admin-port must differ from --port, got 9000 for both'],
    [['up', '--health-timeout', '0'], '--health-timeout must be an integer from 1 to 60000, got 0 (milliseconds)'],
    [['up', '--servers', '0'], '--servers must be an integer from 1 to 256, got "0"'],
    [['kill', 'Server 2'], 'server must be a name of lowercase letters'],
    [['revive', 'a\nb'], 'server must be a name of lowercase letters'],
    [['rm', 'ok', 'NOT OK'], 'server name must be a name of lowercase letters'],
    [['algorithm', 'fastest'], 'algorithm must be one of round-robin'],
    [['fault', 'server1', '--error-rate', '2'], '--error-rate must be a number from 0 to 1, got "2"'],
    [['fault', 'server1'], 'fault needs --error-rate, --latency, --hang, --concurrency or --clear'],
    [['logs', '../etc'], 'member must be a name of lowercase letters'],
    [['dashboard', '--interval', '1ms'], '--interval must be a duration from 50ms to 10000ms'],
    [['--lab', 'Bad/Lab', 'status'], '--lab must be a name of lowercase letters'],
  ])('lblab %j exits 2: %s', async (args, message) => {
    const error = await run(...args);
    expect(error).toMatchObject({ exitCode: 2, message: expect.stringContaining(message) });
    // Nothing was started or recorded.
    expect(await readdir(home)).toEqual(['a-folder']);
  });

  it('a scenario path that is a directory is a usage error naming it', async () => {
    const error = await run('run', path.join(home, 'a-folder'));
    expect(error).toMatchObject({ code: 'LBLAB_SCENARIO', exitCode: 2, message: `${path.join(home, 'a-folder')} is a directory; give a scenario YAML file or a built-in name` });
  });

  it('commander refuses unknown choices with exit 2 (main maps its errors to 2)', async () => {
    expect(await run('up', '--runtime', 'k8s')).toMatchObject({ code: 'commander.invalidArgument' });
    expect(await run('run', 'x', '--seed', '-1')).toMatchObject({ exitCode: 2, message: '--seed must be an integer from 0 to 4294967295, got "-1"' });
  });
});
