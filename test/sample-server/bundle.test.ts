// Builds sample-server/main.ts the way build.mjs does (one ESM file) into a
// temp dir, and runs it as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getJson, postJson } from './start-server.js';

let dir = '';
let bundle = '';
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lblab-sample-server-'));
  bundle = join(dir, 'sample-server.js');
  await build({
    entryPoints: ['sample-server/main.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'silent',
  });
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Running {
  readonly child: ChildProcess;
  readonly output: { stdout: string; stderr: string };
  readonly exited: Promise<number | null>;
}

function run(args: readonly string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output.stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (output.stderr += text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** Waits (bounded) for the `listening <name> <url>` line. */
async function listening(running: Running): Promise<{ name: string; url: string }> {
  const line = await eventually(
    async () => /^listening (\S+) (\S+)$/m.exec(running.output.stdout),
    (match) => match !== null || running.child.exitCode !== null,
    500,
  );
  if (line?.[1] === undefined || line[2] === undefined) {
    throw new Error(`no listening line; stdout: ${running.output.stdout} stderr: ${running.output.stderr}`);
  }
  return { name: line[1], url: line[2] };
}

describe('bundled sample server', () => {
  it('starts on port 0, serves /home, and exits 0 on SIGTERM even with a hung request', async () => {
    const running = run(['--port', '0', '--host', '127.0.0.1'], { LBLAB_SERVER_NAME: 'child1', LBLAB_APP: 'greeting' });
    const { name, url } = await listening(running);
    expect(name).toBe('child1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    expect(await getJson(`${url}/home`)).toEqual({
      status: 200,
      serverId: 'child1',
      body: { message: 'Hello from server: child1', status: 'successful' },
    });
    expect((await getJson(`${url}/`)).body).toEqual({ message: 'Hello from server: child1', status: 'successful' });

    await postJson(`${url}/_lab/fault`, { hang: true });
    const hung = fetch(`${url}/home`).then(
      () => 'answered',
      () => 'failed',
    );
    await eventually(
      () => getJson(`${url}/_lab/stats`),
      (reply) => reply.body.inFlight === 1,
    );

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(await hung).toBe('failed');
    expect(running.output.stderr).toBe('');
    const logLines = running.output.stdout.trim().split('\n').slice(1);
    for (const logLine of logLines) expect(logLine).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z child1 /);
    expect(logLines.some((logLine) => logLine.endsWith('child1 fault errorRate=0 latencyMs=0 hang=true healthToo=false'))).toBe(true);
  });

  it('guards /_lab/* with LBLAB_TOKEN from its environment', async () => {
    const token = 'bundle-test-token-0123456789';
    const running = run(['--port', '0', '--host', '127.0.0.1', '--name', 'child2'], { LBLAB_TOKEN: token });
    const { url } = await listening(running);

    expect((await postJson(`${url}/_lab/fault`, { errorRate: 1 })).status).toBe(401);
    expect((await getJson(`${url}/_lab/stats`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await getJson(`${url}/home`)).status).toBe(200);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('exits 2 naming LBLAB_TOKEN when it is set but unusable', async () => {
    const running = run(['--port', '0'], { LBLAB_TOKEN: 'short' });
    expect(await running.exited).toBe(2);
    expect(running.output.stderr).toBe(
      'sample-server: LBLAB_TOKEN must be 16 to 512 characters (16 characters or more carry enough randomness; 512 fits any header), got 5\n',
    );
  });

  it('exits 2 with a message naming the flag for bad input', async () => {
    const running = run(['--port', 'x']);
    expect(await running.exited).toBe(2);
    expect(running.output.stderr).toBe('sample-server: Invalid --port "x": expected an integer from 0 to 65535\n');
    expect(running.output.stdout).toBe('');
  });
});
