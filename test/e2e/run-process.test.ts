import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMs } from '../../cli/dashboard/format.js';
import type { RunSummary } from '../../cli/report/run-summary.js';
import { pngSize } from '../cli/report/fixtures/png.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

const lab = `e2e-run${process.pid}`;
let dir: string;
let env: Record<string, string>;

async function scenarioFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

async function summaryOf(resultsDir: string): Promise<RunSummary> {
  return JSON.parse(await readFile(path.join(resultsDir, 'summary.json'), 'utf8')) as RunSummary;
}

async function expectNothingLeft(): Promise<void> {
  expect(await labProcesses(lab)).toEqual([]);
  expect(existsSync(path.join(dir, 'home', lab))).toBe(false);
}

describe('lblab run on the process runtime, through the built binary', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-run-'));
    env = { LBLAB_HOME: path.join(dir, 'home') };
  });

  afterAll(async () => {
    // In case a test failed half-way: take down whatever is left, then check.
    await runLblab(['down', '--lab', lab], env);
    await expectNothingLeft();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs a short scenario with a kill, writes the results and tears the lab down', async () => {
    const file = await scenarioFile(
      'short-kill',
      [
        'name: short-kill',
        'lab:',
        '  servers: 3',
        '  health: {intervalMs: 100ms, timeoutMs: 80ms, fall: 2, rise: 1}',
        'phases:',
        '  - {name: steady, kind: open, rate: 200, duration: 1.5s, path: /home}',
        'actions:',
        '  - {at: 300ms, action: kill, target: server2}',
        'thresholds:',
        '  requests: 300',
        '  errorRate: "< 0.5"',
        '',
      ].join('\n'),
    );
    const out = path.join(dir, 'short-kill-results');
    const result = await runLblab(['run', file, '--runtime', 'process', '--lab', lab, '--out', out, '--seed', '9'], env, 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('action kill server2');
    expect(result.stdout).toContain('thresholds: 2 of 2 passed');
    expect(result.stdout).toContain(`results: ${out}`);

    const summary = await summaryOf(out);
    expect(summary).toMatchObject({ scenario: 'short-kill', seed: 9, lab: { algorithm: 'round-robin', servers: ['server1', 'server2', 'server3'], runtime: 'process' } });
    // 200 req/s for 1.5 s: 300 requests scheduled, each one counted exactly once.
    expect(summary.totals.requests + summary.totals.dropped + summary.totals.cancelled).toBe(300);
    expect(summary.totals.requests).toBe(300);
    expect(summary.servers.reduce((sum, s) => sum + s.requests, 0)).toBe(summary.totals.requests);
    expect(Object.values(summary.statuses).reduce((sum, n) => sum + n, 0)).toBe(summary.totals.requests);
    expect(summary.series.reduce((sum, p) => sum + p.requests, 0)).toBe(summary.totals.requests);
    expect(summary.actions).toEqual([{ atMs: expect.any(Number), action: 'kill', target: 'server2' }]);
    expect(summary.thresholds.map((t) => [t.name, t.pass])).toEqual([
      ['requests', true],
      ['errorRate', true],
    ]);

    for (const png of ['distribution.png', 'timeline.png', 'latency.png']) {
      const size = pngSize(await readFile(path.join(out, png)));
      expect(size.widthPx).toBeGreaterThan(0);
      expect(size.heightPx).toBeGreaterThan(0);
    }
    const report = await readFile(path.join(out, 'report.md'), 'utf8');
    for (const png of ['distribution.png', 'timeline.png', 'latency.png']) expect(report).toContain(`](${png})`);
    await expectNothingLeft();

    const compared = await runLblab(['compare', out, out], env);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toMatch(/^requests +300 +300 +0$/m);
  }, 60_000);

  it('--live without a terminal ends with the same numbers as summary.json', async () => {
    const file = await scenarioFile(
      'live',
      ['name: live', 'lab: {servers: 3}', 'phases:', '  - {name: burst, kind: closed, requests: 600, concurrency: 10, path: /home}', ''].join('\n'),
    );
    const out = path.join(dir, 'out-live');
    const result = await runLblab(['run', file, '--live', '--runtime', 'process', '--lab', lab, '--out', out], { ...env, CI: '' });
    expect(result.code, result.stderr).toBe(0);
    const summary = await summaryOf(out);
    const { latency } = summary;
    expect(result.stdout).toContain('─ run finished: live');
    expect(result.stdout).toContain(
      `latency  p50 ${formatMs(latency.p50Ms)}  p90 ${formatMs(latency.p90Ms)}  p99 ${formatMs(latency.p99Ms)}  max ${formatMs(latency.maxMs)}`,
    );
    for (const server of summary.servers) {
      expect(result.stdout).toMatch(new RegExp(`${server.name} +${server.requests} +${Math.round(server.share * 100)}%`));
    }
    expect(result.stdout).toContain(`results  ${out}`);
    await expectNothingLeft();
  }, 60_000);

  it('exits 1 naming each failed threshold with the measured value', async () => {
    const file = await scenarioFile(
      'too-strict',
      ['name: too-strict', 'phases:', '  - {kind: closed, requests: 20, concurrency: 2, path: /home}', 'thresholds:', '  requests: 20', '  p99Ms: "< 0.001"', ''].join('\n'),
    );
    const out = path.join(dir, 'too-strict-results');
    const result = await runLblab(['run', file, '--runtime', 'process', '--lab', lab, '--out', out], env, 60_000);
    expect(result.code).toBe(1);
    const summary = await summaryOf(out);
    expect(result.stderr).toContain(`lblab: threshold p99Ms < 0.001 failed: measured ${summary.latency.p99Ms}\n`);
    expect(result.stderr).not.toContain('threshold requests');
    expect(result.stdout).toContain('thresholds: 1 of 2 passed');
    await expectNothingLeft();
  }, 60_000);

  it('exits 2 on a bad file with the exact message, and starts nothing', async () => {
    const file = await scenarioFile('bad', ['name: bad', 'phases:', '  - kind: open', '    duration: 10s', '    rate: fast', ''].join('\n'));
    const out = path.join(dir, 'bad-results');
    const result = await runLblab(['run', file, '--runtime', 'process', '--lab', lab, '--out', out], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`lblab: ${file}:5: phases[0].rate must be a positive number, got "fast"\n`);
    expect(result.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    await expectNothingLeft();
  });

  it('exits 2 for an unknown scenario, listing the built-ins', async () => {
    const result = await runLblab(['run', 'scenario', 'kill-revive-2'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lblab: unknown scenario "kill-revive-2": no such file, and no built-in of that name; built-in scenarios: .*kill-revive/);
  });

  it('lists the built-in scenarios', async () => {
    const result = await runLblab(['scenarios'], env);
    expect(result.code, result.stderr).toBe(0);
    for (const name of ['distribution-1k', 'distribution-10k', 'kill-revive', 'scale-out', 'post-fanout', 'algorithms']) {
      expect(result.stdout).toMatch(new RegExp(`^${name} +\\S`, 'm'));
    }
  });
});
