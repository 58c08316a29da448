// `npm pack` makes a package that runs: the bin, the bundles and the built-in scenarios are in it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-lblab.js';

const run = promisify(execFile);
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('npm pack', () => {
  it('packs a package whose lblab bin runs from where it is unpacked', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-pack-'));
    dirs.push(dir);
    // --ignore-scripts: use the dist/ the suite built (prepare would rebuild it under other tests' feet).
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    if (packed === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/lblab.js', 'dist/balancer.js', 'dist/sample-server.js', 'scenarios/kill-revive.yaml']));
    expect(files.filter((f) => f.endsWith('.ts') || f.startsWith('test/'))).toEqual([]);

    await run('tar', ['-xzf', path.join(dir, packed.filename), '-C', dir]);
    const unpacked = path.join(dir, 'package');
    const manifest = JSON.parse(await readFile(path.join(unpacked, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
    const bin = path.join(unpacked, manifest.bin['lblab'] ?? '');
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The dependencies npm would install next to it.
    await symlink(path.join(ROOT, 'node_modules'), path.join(unpacked, 'node_modules'));

    const version = await run(process.execPath, [bin, '--version'], { cwd: dir });
    expect(version.stdout.trim()).toBe(manifest.version);
    const scenarios = await run(process.execPath, [bin, 'scenarios'], { cwd: dir });
    expect(scenarios.stdout).toContain('kill-revive');
  }, 60_000);
});
