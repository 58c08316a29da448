// The l4-vs-l7 built-in scenario's passes, smaller, through the built binary
// on the process runtime: each pass in a lab of its own.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../cli/report/run-summary.js';
import { pngSize } from '../cli/report/fixtures/png.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

const lab = `e2e-l4${process.pid}`;
let dir: string;
let env: Record<string, string>;

async function summaryOf(file: string): Promise<RunSummary> {
  return JSON.parse(await readFile(file, 'utf8')) as RunSummary;
}

function requestsOf(summary: RunSummary): Record<string, number> {
  return Object.fromEntries(summary.servers.map((server) => [server.name, server.requests]));
}

describe('lblab run l4-vs-l7 (smaller) on the process runtime', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-l4-'));
    env = { LBLAB_HOME: path.join(dir, 'home') };
  });

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('splits by connection in tcp mode with keep-alive, by request otherwise', async () => {
    const builtin = await readFile(path.join(import.meta.dirname, '../../scenarios/l4-vs-l7.yaml'), 'utf8');
    const file = path.join(dir, 'l4-small.yaml');
    await writeFile(file, builtin.replace('name: l4-vs-l7', 'name: l4-small').replaceAll('1200', '150'));
    const out = path.join(dir, 'results');

    const result = await runLblab(['run', file, '--runtime', 'process', '--lab', lab, '--out', out], env, 90_000);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('split by pass:');
    const [tcpKeepAlive, httpKeepAlive, tcpNew] = await Promise.all(
      ['1-tcp-keep-alive', '2-http-keep-alive', '3-tcp-new-connection'].map((pass) => summaryOf(path.join(out, 'passes', pass, 'summary.json'))),
    );
    // Two keep-alive connections: the balancer picked twice, so at most two servers saw requests.
    expect(tcpKeepAlive?.lab).toMatchObject({ pass: 'tcp keep-alive', mode: 'tcp', connection: 'keep-alive' });
    expect(tcpKeepAlive?.connections?.total).toBe(2);
    expect(Object.values(requestsOf(tcpKeepAlive as RunSummary)).filter((count) => count > 0)).toHaveLength(2);
    for (const server of tcpKeepAlive?.servers ?? []) {
      expect(server.requests > 0, server.name).toBe((tcpKeepAlive?.connections?.byServer[server.name] ?? 0) > 0);
    }
    // Per request in http mode, per connection (one per request) in tcp mode with new connections: 50 each.
    expect(httpKeepAlive?.connections).toBeUndefined();
    expect(requestsOf(httpKeepAlive as RunSummary)).toEqual({ server1: 50, server2: 50, server3: 50 });
    expect(requestsOf(tcpNew as RunSummary)).toEqual({ server1: 50, server2: 50, server3: 50 });
    expect(tcpNew?.connections).toEqual({ total: 150, byServer: { server1: 50, server2: 50, server3: 50 } });

    const report = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(report).toContain('| tcp new connection | tcp | new | 150 | 150 | 33.3% (50 conn) | 33.3% (50 conn) | 33.3% (50 conn) |');
    expect(existsSync(path.join(out, 'split.png'))).toBe(true);
    expect(pngSize(await readFile(path.join(out, 'split.png')))).toEqual({ widthPx: 1000, heightPx: 880 });
  }, 120_000);
});
