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

  it('the shoot-out: unlike servers with workers, an open load at 70-80 % of their stated capacity, seeded, passes of 10 s or more', async () => {
    const shootOut = await loadScenarioFile(path.join(ROOT, 'scenarios', 'algorithms.yaml'));
    const faults = Object.values(shootOut.lab.faults ?? {});
    const meanMs = (latency: unknown): number => (Array.isArray(latency) ? (Number(latency[0]) + Number(latency[1])) / 2 : Number(latency));
    const capacityPerSec = faults.reduce((sum, fault) => sum + ((fault.concurrency ?? 0) * 1000) / meanMs(fault.latencyMs), 0);
    const means = faults.map((fault) => meanMs(fault.latencyMs));
    expect(faults.every((fault) => (fault.concurrency ?? 0) > 0)).toBe(true);
    expect(Math.max(...means) / Math.min(...means)).toBeGreaterThanOrEqual(3);
    expect(faults.some((fault) => Array.isArray(fault.latencyMs))).toBe(true);
    expect(shootOut.seed).toBeDefined();
    for (const phase of shootOut.phases) {
      expect(phase.kind).toBe('open');
      expect(phase.duration ?? 0).toBeGreaterThanOrEqual(10_000);
      expect((phase.rate ?? 0) / capacityPerSec).toBeGreaterThanOrEqual(0.7);
      expect((phase.rate ?? 0) / capacityPerSec).toBeLessThanOrEqual(0.8);
    }
  });
});
