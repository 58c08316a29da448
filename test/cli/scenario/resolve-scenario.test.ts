import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../../cli/errors.js';
import { resolveScenario } from '../../../cli/scenario/resolve-scenario.js';

let dir: string;
let builtinDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-resolve-'));
  builtinDir = path.join(dir, 'builtins');
  await mkdir(builtinDir);
  await writeFile(path.join(builtinDir, 'kill-revive.yaml'), 'phases: []\n');
  await writeFile(path.join(builtinDir, 'distribution-1k.yaml'), 'phases: []\n');
  await writeFile(path.join(builtinDir, 'notes.txt'), 'not a scenario\n');
  await writeFile(path.join(dir, 'mine.yaml'), 'phases: []\n');
  // A file named like a built-in wins over the built-in.
  await writeFile(path.join(dir, 'kill-revive'), 'phases: []\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(argument: string): Promise<LabError> {
  const error = await resolveScenario(argument, { cwd: path.join(dir, 'builtins', '..', 'nowhere'), builtinDir }).catch((e: unknown) => e);
  if (!(error instanceof LabError)) throw new Error(`expected a LabError for ${argument}`);
  return error;
}

describe('resolveScenario', () => {
  it('takes a file that exists, named as the user gave it', async () => {
    expect(await resolveScenario('./mine.yaml', { cwd: dir, builtinDir })).toEqual({
      file: path.join(dir, 'mine.yaml'),
      source: './mine.yaml',
      builtin: false,
    });
  });

  it('prefers a file over a built-in of the same name', async () => {
    expect(await resolveScenario('kill-revive', { cwd: dir, builtinDir })).toMatchObject({ file: path.join(dir, 'kill-revive'), builtin: false });
  });

  it('falls back to a built-in by name (with or without .yaml), shown relative to the working folder', async () => {
    const expected = { file: path.join(builtinDir, 'distribution-1k.yaml'), source: path.join('builtins', 'distribution-1k.yaml'), builtin: true };
    expect(await resolveScenario('distribution-1k', { cwd: dir, builtinDir })).toEqual(expected);
    expect(await resolveScenario('distribution-1k.yaml', { cwd: dir, builtinDir })).toEqual(expected);
  });

  it('shows a built-in outside the working folder by its absolute path', async () => {
    const outside = await resolveScenario('distribution-1k', { cwd: path.join(dir, 'elsewhere'), builtinDir });
    expect(outside.source).toBe(path.join(builtinDir, 'distribution-1k.yaml'));
  });

  it('lists the built-ins for an unknown name', async () => {
    const error = await rejection('kill-revive-2');
    expect(error.code).toBe('LBLAB_SCENARIO');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('unknown scenario "kill-revive-2": no such file, and no built-in of that name; built-in scenarios: distribution-1k, kill-revive. What each does: lblab scenarios');
  });

  it('says a file is missing when the argument looks like a path', async () => {
    expect((await rejection('./nope.yaml')).message).toBe('scenario file ./nope.yaml does not exist; built-in scenarios: distribution-1k, kill-revive. What each does: lblab scenarios');
  });
});
