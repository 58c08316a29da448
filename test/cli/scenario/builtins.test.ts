import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBuiltinScenarios } from '../../../cli/scenario/builtins.js';
import { loadScenarioFile } from '../../../cli/scenario/load-scenario.js';
import { ROOT } from '../../helpers/run-lblab.js';

const REQUIRED = ['algorithms', 'distribution-10k', 'distribution-1k', 'kill-revive', 'post-fanout', 'scale-out'];

describe('the built-in scenarios', async () => {
  const builtins = await listBuiltinScenarios(path.join(ROOT, 'scenarios'));

  it('include the ones the docs promise', () => {
    expect(builtins.map((b) => b.name)).toEqual(expect.arrayContaining(REQUIRED));
  });

  it.each(builtins.map((b) => [b.name, b.file] as const))('%s validates, is named after its file and describes itself', async (name, file) => {
    const scenario = await loadScenarioFile(file, `scenarios/${name}.yaml`);
    expect(scenario.name).toBe(name);
    expect(scenario.description ?? '').not.toBe('');
  });

  it('are each shown in scenarios/README.md', async () => {
    const readme = await readFile(path.join(ROOT, 'scenarios', 'README.md'), 'utf8');
    for (const { name } of builtins) expect(readme).toContain(`\`${name}\``);
  });

  it('keep to what the issue asks', async () => {
    const load = (name: string) => loadScenarioFile(path.join(ROOT, 'scenarios', `${name}.yaml`));
    const oneK = await load('distribution-1k');
    expect(oneK.phases).toMatchObject([{ kind: 'closed', requests: 1000, concurrency: 50, path: '/home' }]);
    expect(oneK.lab).toMatchObject({ servers: 3, algorithm: 'round-robin' });
    expect(oneK.thresholds.errors).toBe(0);
    expect((await load('distribution-10k')).phases).toMatchObject([{ kind: 'closed', requests: 10000 }]);
    const killRevive = await load('kill-revive');
    expect(killRevive.actions).toEqual([
      { atMs: 3000, action: 'kill', servers: ['server2'] },
      { atMs: 8000, action: 'revive', servers: ['server2'] },
    ]);
    const scaleOut = await load('scale-out');
    expect(scaleOut.lab.algorithm).toBe('consistent-hash');
    expect(scaleOut.phases[0]?.keys).toEqual({ param: 'id', count: 500, distribution: 'uniform' });
    expect((await load('post-fanout')).phases).toMatchObject([{ method: 'POST', path: '/register?username=server2' }]);
    expect((await load('algorithms')).algorithms?.length).toBeGreaterThan(1);
  });
});
