import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import { supportedAlgorithms } from '../../cli/balancers/algorithm-mapping.js';
import { freePortPair, isPortFree } from '../helpers/free-ports.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';

interface StatusJson {
  algorithm: string;
  balancer: { kind: string; version?: string; state: string };
  servers: { name: string; state: string; health: string; registered: boolean }[];
}

export interface BalancerSuiteOptions {
  readonly kind: 'haproxy' | 'nginx';
  readonly runtime: 'process' | 'docker';
  /** Checks after `down` that nothing of the lab is left in the runtime. */
  readonly assertNothingLeft: (lab: string, home: string) => Promise<void>;
  /** Called once the lab is up (to note what the later checks need). */
  readonly onUp?: (lab: string, home: string) => Promise<void>;
}

/** Pids of live (not zombie) processes in a process group: the process runtime's balancer and its workers. */
export async function groupMembers(pgid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && fields[0] !== undefined && Number(fields[2]) === pgid) pids.push(Number(entry));
  }
  return pids;
}

/** The pid the process runtime recorded for a member. */
export async function recordedPid(home: string, lab: string, member: string): Promise<number> {
  return (JSON.parse(await readFile(path.join(home, lab, 'process', `${member}.json`), 'utf8')) as { pid: number }).pid;
}

/**
 * The user story of a HAProxy or nginx lab, through the built binary: up,
 * the distribution of each algorithm the kind has, kill and revive, add and
 * rm, and a down that leaves nothing.
 */
export function describeBalancerLab(options: BalancerSuiteOptions): void {
  const { kind, runtime } = options;
  describe(`lblab up --balancer ${kind} on the ${runtime} runtime`, () => {
    const lab = `${kind.slice(0, 2)}${runtime.slice(0, 1)}${process.pid}`;
    let home: string;
    let port: number;
    let env: Record<string, string>;
    const lblab = (...args: string[]) => runLblab([...args, '--lab', lab], env);
    const status = async (): Promise<StatusJson> => {
      const result = await lblab('status', '--json');
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as StatusJson;
    };
    const get = async (query = ''): Promise<{ status: number; server: string }> => {
      const response = await fetch(`http://127.0.0.1:${port}/home${query}`);
      await response.arrayBuffer();
      return { status: response.status, server: response.headers.get('x-server-id') ?? '(none)' };
    };
    const countServers = async (requests: number, query: (i: number) => string = () => ''): Promise<Record<string, number>> => {
      const counts: Record<string, number> = {};
      for (let i = 0; i < requests; i++) {
        const { status: code, server } = await get(query(i));
        expect(code).toBe(200);
        counts[server] = (counts[server] ?? 0) + 1;
      }
      return counts;
    };
    const switchTo = async (algorithm: AlgorithmName): Promise<void> => {
      const result = await lblab('algorithm', algorithm);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`reloaded ${kind}`);
    };

    beforeAll(async () => {
      home = await mkdtemp(path.join(os.tmpdir(), `lblab-${kind}-e2e-`));
      env = { LBLAB_HOME: home };
      port = await freePortPair();
      const up = await runLblab(
        ['up', '--runtime', runtime, '--balancer', kind, '--servers', '3', '--port', String(port), '--lab', lab, '--health-interval', '200ms', '--health-timeout', '150ms', '--fall', '2', '--rise', '2', ...(kind === 'nginx' ? ['--closest'] : [])],
        env,
        240_000,
      );
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toContain(`lab ${lab} is up`);
      await options.onUp?.(lab, home);
    }, 300_000);

    afterAll(async () => {
      const down = await runLblab(['down', '--lab', lab], env);
      expect(down.code, down.stderr).toBe(0);
      expect(await isPortFree(port)).toBe(true);
      expect(await isPortFree(port + 1)).toBe(true);
      await options.assertNothingLeft(lab, home);
      await rm(home, { recursive: true, force: true });
    }, 120_000);

    it('says which balancer runs, and its version', async () => {
      const now = await status();
      expect(now.balancer.kind).toBe(kind);
      expect(now.balancer.version).toMatch(kind === 'haproxy' ? /^HAProxy 2\.\d+/ : /^nginx 1\.\d+/);
      expect(now.balancer.state).toBe('running');
      const health = now.servers.map((server) => server.health);
      expect(health).toEqual(kind === 'haproxy' ? ['up', 'up', 'up'] : ['unknown', 'unknown', 'unknown']);
    });

    it('refuses what the kind lacks at up, saying what it offers instead', async () => {
      const [other] = await Promise.all([freePortPair()]);
      const refused = await runLblab(['up', '--runtime', runtime, '--balancer', kind, '--algorithm', 'least-response-time', '--no-health', '--port', String(other), '--lab', `${lab}x`], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`${kind} cannot run algorithm least-response-time`);
      expect(refused.stderr).toContain('It offers least-connections');
    });

    it('spreads 300 GETs exactly 100 per server under round-robin', async () => {
      expect(await countServers(300)).toEqual({ server1: 100, server2: 100, server3: 100 });
    });

    it.each(supportedAlgorithms(kind).filter((name) => name !== 'round-robin'))('distributes GETs under %s as that algorithm does', async (algorithm) => {
      await switchTo(algorithm);
      expect((await status()).algorithm).toBe(algorithm);
      if (algorithm === 'consistent-hash') {
        const byKey = new Map<string, string>();
        for (let i = 0; i < 60; i++) byKey.set(String(i), (await get(`?id=k${i}`)).server);
        for (let i = 0; i < 60; i++) expect((await get(`?id=k${i}`)).server).toBe(byKey.get(String(i)));
        expect(new Set(byKey.values()).size).toBeGreaterThan(1);
        return;
      }
      const counts = await countServers(150);
      // One request at a time: the first server is always free.
      if (algorithm === 'first-available') expect(counts).toEqual({ server1: 150 });
      else if (algorithm === 'weighted-round-robin') expect(counts).toEqual({ server1: 50, server2: 50, server3: 50 });
      else expect(Object.keys(counts).sort()).toEqual(['server1', 'server2', 'server3']);
    });

    it('stops sending to a killed server, with no error leaked, and sends again once it is revived', async () => {
      await switchTo('round-robin');
      const kill = await lblab('kill', 'server2');
      expect(kill.code, kill.stderr).toBe(0);
      if (kind === 'haproxy') {
        await eventually(async () => (await status()).servers.find((s) => s.name === 'server2')?.health === 'down', 'HAProxy to mark server2 down');
      }
      const during = await countServers(60);
      expect(during.server2).toBeUndefined();
      const revive = await lblab('revive', 'server2');
      expect(revive.code, revive.stderr).toBe(0);
      await eventually(async () => (await countServers(6)).server2 !== undefined, 'server2 to get traffic again', 15_000);
    }, 60_000);

    it('adds a server that gets traffic, and removes it', async () => {
      const add = await lblab('add', 'server4');
      expect(add.code, add.stderr).toBe(0);
      expect(await countServers(8)).toEqual({ server1: 2, server2: 2, server3: 2, server4: 2 });
      const removed = await lblab('rm', 'server4');
      expect(removed.code, removed.stderr).toBe(0);
      expect((await status()).servers.map((s) => s.name)).toEqual(['server1', 'server2', 'server3']);
      expect(await countServers(6)).toEqual({ server1: 2, server2: 2, server3: 2 });
    }, 60_000);

    it('injects and clears faults on a server through the balancer admin port', async () => {
      const fault = await lblab('fault', 'server1', '--error-rate', '1');
      expect(fault.code, fault.stderr).toBe(0);
      const statuses = new Set<number>();
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/home`);
        await response.arrayBuffer();
        if (response.headers.get('x-server-id') === 'server1') statuses.add(response.status);
      }
      expect([...statuses]).toEqual([500]);
      expect((await lblab('fault', 'server1', '--clear')).code).toBe(0);
      expect((await fetch(`http://127.0.0.1:${port}/_lab/fault`)).status).toBe(404);
    });
  });
}
