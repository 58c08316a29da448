// Errors end with the command that fixes them, where one exists (issue 15): a representative set, through the program.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProgram } from '../../../cli/program.js';
import { alreadyUpError } from '../../../cli/lab/already-up-error.js';
import type { LabRecord } from '../../../cli/lab/lab-record.js';
import { noEngineError } from '../../../cli/runtime/docker/engine-error.js';

let home: string;

async function errorOf(...args: string[]): Promise<Error> {
  const program = createProgram({ out: () => {}, err: () => {} });
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(['node', 'lblab', ...args]);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`lblab ${args.join(' ')} did not fail`);
}

const record = { lab: 'blue', runtime: 'process', port: 8080 } as LabRecord;

describe('errors end with the command that fixes them', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-fixes-'));
    vi.stubEnv('LBLAB_HOME', home);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ['a lab that is not up', () => errorOf('kill', 'server2', '--lab', 'ghost'), 'lblab up --lab ghost'],
    ['the default lab not up', () => errorOf('algorithm', 'random'), 'lblab up'],
    ['an unknown scenario', () => errorOf('run', 'no-such-scenario'), 'lblab scenarios'],
    ['an unknown help topic', () => errorOf('help', 'nope'), 'lblab help'],
    ['a lab already up', async () => alreadyUpError(record, [{ name: 'balancer', role: 'balancer', state: 'running' }]), 'lblab down --lab blue'],
    ['a lab whose balancer is stopped', async () => alreadyUpError(record, [{ name: 'balancer', role: 'balancer', state: 'stopped' }]), 'lblab revive balancer --lab blue'],
    ['no Docker engine', async () => noEngineError('unix:///none.sock', 'connect ENOENT'), 'lblab up --runtime process'],
  ])('%s', async (_what, make, command) => {
    const { message } = await make();
    // The command is the end of the message, after ": ", with nothing after it to strip before pasting.
    expect(message.endsWith(`: ${command}`), message).toBe(true);
  });
});
