// The bundled program, as the lab runs it: `node balancer.js` with
// LBLAB_BALANCER_CONFIG or --config, closing on SIGTERM with exit code 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundleBalancer, type BalancerBundle } from './fixtures/balancer-bundle.js';
import { send } from './fixtures/http-client.js';
import { onCleanup, upstreams, useCleanup } from './fixtures/test-balancer.js';
import { waitFor } from './fixtures/wait-for.js';

useCleanup();

let dir: string;
let bundle: string;
let built: BalancerBundle;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lblab-balancer-main-'));
  built = await bundleBalancer();
  bundle = built.file;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await built.remove();
});

interface Program {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Program {
  const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const program: Program = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (program.stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (program.stderr += chunk.toString('utf8')));
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await program.exited;
    }
  });
  return program;
}

describe('balancer main', () => {
  it('starts from LBLAB_BALANCER_CONFIG, prints where it listens, proxies, and exits 0 on SIGTERM', async () => {
    const [server] = await upstreams(1);
    const program = run([], {
      LBLAB_BALANCER_CONFIG: JSON.stringify({ port: 0, adminPort: 0, servers: [{ name: 'server1', url: server!.url }], health: { intervalMs: 50 } }),
    });

    const match = await waitFor(() => /listening data (http:\/\/127\.0\.0\.1:\d+) admin (http:\/\/127\.0\.0\.1:\d+)\n/.exec(program.stdout) ?? undefined, {
      what: 'the listening line',
      timeoutMs: 10_000,
    });
    const [, url, adminUrl] = match;
    await waitFor(async () => ((await send(`${adminUrl}/stats`)).json as { servers: { health: string }[] }).servers[0]?.health === 'up', {
      what: 'server1 up',
    });
    expect((await send(`${url}/home`)).headers['x-server-id']).toBe('server1');
    expect((await send(`${adminUrl}/metrics`)).text).toContain('lblab_requests_total{server="server1",code_class="2xx",route="/home"} 1');

    program.child.kill('SIGTERM');
    expect(await program.exited).toBe(0);
    expect(program.stdout).toMatch(/health server1 down -> up \(first check passed\)/);
  });

  it('reads --config <file>', async () => {
    const file = path.join(dir, 'lb.json');
    await writeFile(file, JSON.stringify({ port: 0, adminPort: 0, algorithm: 'random' }));
    const program = run(['--config', file]);

    const adminUrl = await waitFor(() => /admin (http:\/\/\S+)\n/.exec(program.stdout)?.[1], { what: 'the listening line', timeoutMs: 10_000 });
    expect((await send(`${adminUrl}/algorithm`)).json).toEqual({ algorithm: 'random' });

    program.child.kill('SIGINT');
    expect(await program.exited).toBe(0);
  });

  it('guards the admin API with LBLAB_TOKEN from the environment', async () => {
    const token = 'main-test-token-0123456789';
    const program = run([], { LBLAB_BALANCER_CONFIG: JSON.stringify({ port: 0, adminPort: 0 }), LBLAB_TOKEN: token });

    const adminUrl = await waitFor(() => /admin (http:\/\/\S+)\n/.exec(program.stdout)?.[1], { what: 'the listening line', timeoutMs: 10_000 });
    expect((await send(`${adminUrl}/stats`)).status).toBe(401);
    expect((await send(`${adminUrl}/stats`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(program.stderr).not.toContain('LBLAB_TOKEN is not set');

    program.child.kill('SIGTERM');
    expect(await program.exited).toBe(0);
  });

  it('exits 1 naming LBLAB_TOKEN (not its value) when it is set but unusable', async () => {
    const program = run([], { LBLAB_BALANCER_CONFIG: JSON.stringify({ port: 0, adminPort: 0 }), LBLAB_TOKEN: 'short' });

    expect(await program.exited).toBe(1);
    expect(program.stderr).toBe(
      'lblab balancer: LBLAB_TOKEN must be 16 to 512 characters (16 characters or more carry enough randomness; 512 fits any header), got 5\n',
    );
  });

  it('exits 1 with the exact message for a bad config', async () => {
    const program = run([], { LBLAB_BALANCER_CONFIG: JSON.stringify({ health: { intervalMs: 'x' } }) });

    expect(await program.exited).toBe(1);
    expect(program.stderr).toBe('lblab balancer: config.health.intervalMs must be an integer from 10 to 60000, got "x"\n');
  });
});
