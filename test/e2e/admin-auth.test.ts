import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerRuntime } from '../../cli/runtime/docker/docker-runtime.js';
import { labFilter } from '../../cli/runtime/docker/labels.js';
import { describeDocker } from '../cli/runtime/docker/engine-available.js';
import { freePortPair } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { runLblab } from '../helpers/run-lblab.js';

/** A curl-like request (undici, so any port works); the status and the parsed JSON body. */
async function call(url: string, token?: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<{ status: number; json: unknown; text: string }> {
  const response = await request(url, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, json, text };
}

interface StatusJson {
  balancer: { reachable: boolean };
  servers: { name: string; health: string }[];
}

/** The admin token story, the same on both runtimes: made at up, owner-only, required by every admin route, sent by the CLI. */
function describeAuth(runtime: 'process' | 'docker', describeFn: typeof describeDocker): void {
  describeFn(`admin token on the ${runtime} runtime, through the built binary`, { timeout: 180_000 }, () => {
    const lab = `auth-${runtime[0] ?? ''}${randomBytes(3).toString('hex')}`;
    let home: string;
    let env: Record<string, string>;
    let port: number;
    let token: string;
    const admin = (route: string): string => `http://127.0.0.1:${port + 1}${route}`;
    const lblab = (...args: string[]) => runLblab([...args, '--lab', lab], env);

    beforeAll(async () => {
      home = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-auth-'));
      env = { LBLAB_HOME: home };
      port = await freePortPair();
      const result = await lblab('up', '--runtime', runtime, '--servers', '2', '--port', String(port));
      expect(result.code, result.stderr).toBe(0);
      token = (await readFile(path.join(home, lab, 'token'), 'utf8')).trim();
    }, 180_000);

    afterAll(async () => {
      const result = await lblab('down');
      expect(result.code, result.stderr).toBe(0);
      expect(await labProcesses(lab)).toEqual([]);
      if (runtime === 'docker') expect(await createDockerRuntime().client.listContainers(labFilter(lab))).toEqual([]);
      await rm(home, { recursive: true, force: true });
    }, 60_000);

    it('keeps a random token of at least 128 bits owner-only: file 0600 in a 0700 folder', async () => {
      expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      expect((await stat(path.join(home, lab, 'token'))).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(home, lab))).mode & 0o777).toBe(0o700);
    });

    it.each(['/stats', '/rep', '/metrics'])('GET %s: 401 JSON without the token or with a wrong one, 200 with it', async (route) => {
      const without = await call(admin(route));
      expect(without.status, without.text).toBe(401);
      expect(without.json).toMatchObject({ status: 'failure' });
      expect((await call(admin(route), `${token}x`)).status).toBe(401);
      expect((await call(admin(route), token)).status).toBe(200);
    });

    it('a change without the token is refused and changes nothing', async () => {
      const refused = await call(admin('/algorithm'), undefined, 'POST', { algorithm: 'random' });
      expect(refused.status).toBe(401);
      const stats = (await call(admin('/stats'), token)).json as { algorithm: string };
      expect(stats.algorithm).toBe('round-robin');
    });

    it('the token is in the members\' environment, never on a command line', async () => {
      if (runtime === 'process') {
        const pids = await labProcesses(lab);
        expect(pids.length).toBe(3);
        for (const pid of pids) {
          expect(await readFile(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(token);
          expect((await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0')).toContain(`LBLAB_TOKEN=${token}`);
        }
      } else {
        const client = createDockerRuntime().client;
        for (const summary of await client.listContainers(labFilter(lab))) {
          const container = await client.inspectContainer(summary.Id);
          expect(JSON.stringify((container as unknown as { Args?: unknown }).Args ?? [])).not.toContain(token);
          expect(container.Config.Env).toContain(`LBLAB_TOKEN=${token}`);
        }
      }
    });

    if (runtime === 'process') {
      it("a sample server's /_lab routes want the token too", async () => {
        const member = JSON.parse(await readFile(path.join(home, lab, 'process', 'server1.json'), 'utf8')) as { upstreamUrl: string };
        expect((await call(`${member.upstreamUrl}/_lab/fault`, undefined, 'POST', { errorRate: 1 })).status).toBe(401);
        expect((await call(`${member.upstreamUrl}/_lab/fault`, token)).status).toBe(200);
      });
    }

    it('the CLI sends it: status, fault, kill, revive, add, rm and algorithm work', async () => {
      const status = await lblab('status', '--json');
      expect(status.code, status.stderr).toBe(0);
      expect((JSON.parse(status.stdout) as StatusJson).balancer.reachable).toBe(true);
      for (const args of [
        ['fault', 'server1', '--error-rate', '0.5'],
        ['fault', 'server1', '--clear'],
        ['kill', 'server2'],
        ['revive', 'server2'],
        ['add'],
        ['rm', 'server3'],
        ['algorithm', 'least-connections'],
      ]) {
        const result = await lblab(...args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      }
      expect(((await call(admin('/stats'), token)).json as { algorithm: string }).algorithm).toBe('least-connections');
    });

    if (runtime === 'docker') {
      it("finds the token of a lab found by its labels (state folder lost) in the balancer's environment", async () => {
        const moved = `${home}-moved`;
        await rename(path.join(home, lab), moved);
        try {
          const status = await lblab('status', '--json');
          expect(status.code, status.stderr).toBe(0);
          expect((JSON.parse(status.stdout) as StatusJson).balancer.reachable).toBe(true);
        } finally {
          await rename(moved, path.join(home, lab));
        }
      });
    }
  });
}

describeAuth('process', describe);
describeAuth('docker', describeDocker);

describe('--admin-auth none', { timeout: 60_000 }, () => {
  it('starts a lab without a token, with a one-line warning', async () => {
    const lab = `auth-none-${randomBytes(3).toString('hex')}`;
    const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-auth-none-'));
    const env = { LBLAB_HOME: home };
    try {
      const port = await freePortPair();
      const up = await runLblab(['up', '--runtime', 'process', '--servers', '1', '--port', String(port), '--admin-auth', 'none', '--lab', lab], env);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr.split('\n').filter((line) => line.startsWith('warning:'))).toEqual([
        `warning: lab ${lab} has no admin token (--admin-auth none): anyone on this machine can use its admin API and its servers' fault routes`,
      ]);
      expect(existsSync(path.join(home, lab, 'token'))).toBe(false);
      expect((await call(`http://127.0.0.1:${port + 1}/stats`)).status).toBe(200);
      expect((await runLblab(['status', '--lab', lab], env)).code).toBe(0);
    } finally {
      await runLblab(['down', '--lab', lab], env);
      expect(await labProcesses(lab)).toEqual([]);
      await rm(home, { recursive: true, force: true });
    }
  });

  it('a scenario with lab.balancer.adminAuth: none runs its lab without a token, with the same warning', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-e2e-auth-none-run-'));
    const lab = `auth-nrun-${randomBytes(3).toString('hex')}`;
    try {
      const file = path.join(home, 'open.yaml');
      await writeFile(
        file,
        ['name: open-admin', 'lab:', '  servers: 1', '  balancer: {adminAuth: none}', 'phases:', '  - {kind: closed, requests: 20, concurrency: 2}', ''].join('\n'),
      );
      const run = await runLblab(['run', file, '--runtime', 'process', '--lab', lab, '--out', path.join(home, 'out')], { LBLAB_HOME: home });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`warning: lab ${lab} has no admin token (--admin-auth none)`);
      expect(await labProcesses(lab)).toEqual([]);
    } finally {
      await runLblab(['down', '--lab', lab], { LBLAB_HOME: home });
      await rm(home, { recursive: true, force: true });
    }
  });
});
