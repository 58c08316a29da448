// The compose-style verbs on a real process lab, through the built binary: load, stats, restart, scale, logs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

interface UsageJson {
  runtime: string;
  members: { name: string; role: string; state: string; cpuPercent?: number; memoryBytes?: number; requests?: number }[];
}

const lab = `cv${process.pid}`;
let home: string;
let env: Record<string, string>;

async function lblab(args: readonly string[]): Promise<string> {
  const result = await runLblab([...args, '--lab', lab], env);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

async function pidOf(name: string): Promise<number> {
  const file = JSON.parse(await readFile(path.join(home, lab, 'process', `${name}.json`), 'utf8')) as { pid: number };
  expect(await labProcesses(lab)).toContain(file.pid);
  return file.pid;
}

describe('compose-style verbs on the process runtime', () => {
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-cv-'));
    env = { LBLAB_HOME: home, NO_COLOR: '1' };
    const port = await freePortPair();
    await lblab(['up', '--runtime', 'process', '--servers', '3', '--port', String(port), '--health-interval', '200ms', '--health-timeout', '150ms']);
  }, 60_000);

  afterAll(async () => {
    await runLblab(['down', '--lab', lab], env);
    expect(await labProcesses(lab)).toEqual([]);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('load sends to the balancer by default and splits the requests per server', async () => {
    const out = await lblab(['load', '-n', '300', '-c', '3', '-q', '/home']);
    expect(out).toMatch(/requests\s+300 in/);
    for (const server of ['server1', 'server2', 'server3']) expect(out).toMatch(new RegExp(`${server}\\s+100\\s+33\\.3%`));
  }, 60_000);

  it('stats --no-stream --json gives CPU, memory and requests for every member', async () => {
    const usage = JSON.parse(await lblab(['stats', '--no-stream', '--json'])) as UsageJson;
    expect(usage.runtime).toBe('process');
    expect(usage.members.map((m) => m.name)).toEqual(['balancer', 'server1', 'server2', 'server3']);
    for (const member of usage.members) {
      expect(member.state).toBe('running');
      expect(member.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(member.memoryBytes).toBeGreaterThan(1_000_000);
    }
    expect(usage.members.find((m) => m.name === 'server2')?.requests).toBe(100);
    expect(usage.members.find((m) => m.name === 'balancer')?.requests).toBeGreaterThanOrEqual(300);
  }, 30_000);

  it('restart gives a server a new process and waits until the balancer sees it up', async () => {
    const before = await pidOf('server2');
    expect(await lblab(['restart', 'server2'])).toMatch(/^restarted server2; it serves again after \d+ ms/);
    expect(await pidOf('server2')).not.toBe(before);
    const status = JSON.parse(await lblab(['status', '--json'])) as { servers: { name: string; health: string }[] };
    expect(status.servers.find((s) => s.name === 'server2')?.health).toBe('up');
  }, 60_000);

  it('scale adds servers up to N, then removes the last ones down to N', async () => {
    expect(await lblab(['scale', '5'])).toBe('added server4, server5; servers: server1, server2, server3, server4, server5\n');
    expect(await lblab(['scale', '2'])).toBe('removed server3, server4, server5; servers: server1, server2\n');
    expect(await lblab(['scale', '2'])).toBe('nothing to do: the lab already has that many; servers: server1, server2\n');
  }, 90_000);

  it('logs with no member interleaves every member with a prefix, without colour under NO_COLOR', async () => {
    const out = await lblab(['logs', '--tail', '50']);
    expect(out).toMatch(/^balancer \| .*added server1/m);
    expect(out).toMatch(/^server1  \| .*server1 started/m);
    expect(out).not.toContain('\u001b[');
    const recent = await lblab(['logs', '--since', '2026-01-01T00:00:00Z', 'balancer']);
    expect(recent.split('\n').filter(Boolean).every((line) => line.startsWith('balancer | '))).toBe(true);
  }, 30_000);

  it('NO_COLOR holds for the dashboard and the logs even when FORCE_COLOR asks for colour', async () => {
    const colour = /\u001b\[[0-9;]*m/;
    const forced = { ...env, NO_COLOR: '', FORCE_COLOR: '1' };
    // Without NO_COLOR, FORCE_COLOR gives colours (the control)...
    expect((await runLblab(['dashboard', '--once', '--lab', lab], forced)).stdout).toMatch(colour);
    expect((await runLblab(['logs', '--tail', '5', '--lab', lab], forced)).stdout).toMatch(colour);
    // ...and NO_COLOR takes them away, also from the Ink dashboard, whose chalk reads only FORCE_COLOR.
    expect((await runLblab(['dashboard', '--once', '--lab', lab], { ...forced, NO_COLOR: '1' })).stdout).not.toMatch(colour);
    expect((await runLblab(['logs', '--tail', '5', '--lab', lab], { ...forced, NO_COLOR: '1' })).stdout).not.toMatch(colour);
  }, 30_000);
});
