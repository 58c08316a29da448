// stats and restart on Docker: the engine's stats API and a graceful stop through the runtime.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDockerRuntime } from '../../cli/runtime/docker/docker-runtime.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import { describeDocker } from '../cli/runtime/docker/engine-available.js';
import { freePortPair } from '../helpers/free-ports.js';
import { runLblab } from '../helpers/run-lblab.js';

interface UsageJson {
  runtime: string;
  members: { name: string; state: string; cpuPercent?: number; memoryBytes?: number; memoryLimitBytes?: number; requests?: number }[];
}

describeDocker('stats and restart on Docker', () => {
  const lab = `dcv${process.pid}`;
  const client = createDockerRuntime().client;
  let home: string;
  let env: Record<string, string>;
  const lblab = async (...args: string[]): Promise<string> => {
    const result = await runLblab([...args, '--lab', lab], env);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const startedAt = async (member: string): Promise<string> => {
    const [summary] = (await client.listContainers(labFilter(lab))).filter((c) => c.Labels['lblab.server'] === member);
    if (summary === undefined) throw new Error(`no container for ${member}`);
    // StartedAt is in the engine's answer, beyond the fields the client types.
    return ((await client.inspectContainer(summary.Id)) as unknown as { State: { StartedAt: string } }).State.StartedAt;
  };

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-dcv-'));
    env = { LBLAB_HOME: home };
    await lblab('up', '--servers', '2', '--runtime', 'docker', '--port', String(await freePortPair()));
  }, 180_000);

  afterAll(async () => {
    const result = await runLblab(['down', '--lab', lab], env);
    await rm(home, { recursive: true, force: true });
    expect(result.code, result.stderr).toBe(0);
    expect(await client.listContainers(labFilter(lab))).toEqual([]);
  }, 60_000);

  it('stats --no-stream --json gives every container CPU, memory against its limit, and requests', async () => {
    const usage = JSON.parse(await lblab('stats', '--no-stream', '--json')) as UsageJson;
    expect(usage.runtime).toBe('docker');
    expect(usage.members.map((m) => m.name)).toEqual(['balancer', 'server1', 'server2']);
    for (const member of usage.members) {
      expect(member.state).toBe('running');
      expect(member.memoryBytes).toBeGreaterThan(1_000_000);
      expect(member.memoryLimitBytes).toBeGreaterThan(member.memoryBytes ?? 0);
      expect(member.requests).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it('restart stops and starts the same container, and the balancer sees it up', async () => {
    const before = await startedAt('server1');
    expect(await lblab('restart', 'server1')).toMatch(/^restarted server1; it serves again after \d+ ms/);
    expect(await startedAt('server1')).not.toBe(before);
  }, 60_000);
});
