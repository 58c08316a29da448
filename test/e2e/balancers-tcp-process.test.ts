// `lblab up --balancer haproxy --mode tcp` on the process runtime: HAProxy relays
// each client connection to one server, so a keep-alive client stays on it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectNginxStream } from '../../cli/balancers/nginx-stream-module.js';
import { freePortPair, isPortFree } from '../helpers/free-ports.js';
import { labProcesses } from '../helpers/lab-processes.js';
import { eventually, runLblab } from '../helpers/run-lblab.js';
import { groupMembers, recordedPid } from './balancers-suite.js';

const installed = (program: string): boolean => spawnSync(program, ['-v'], { stdio: 'ignore' }).status === 0;

interface Answer {
  readonly server: string;
  readonly localPort: number;
}

/** A GET on `agent` (false: a new connection that closes after the answer); which server answered, from which client port. */
function get(port: number, agent: http.Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/home', agent, timeout: 5_000 }, (response) => {
      const localPort = response.socket.localPort ?? 0;
      response.resume();
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`GET /home answered ${response.statusCode}`));
        else resolve({ server: String(response.headers['x-server-id'] ?? '(none)'), localPort });
      });
    });
    request.on('timeout', () => request.destroy(new Error('GET /home timed out')));
    request.on('error', reject);
  });
}

describe.runIf(installed('haproxy'))('lblab up --balancer haproxy --mode tcp on the process runtime', () => {
  const lab = `ht${process.pid}`;
  let home: string;
  let port: number;
  let env: Record<string, string>;
  let balancerPid: number | undefined;
  const lblab = (...args: string[]) => runLblab([...args, '--lab', lab], env);

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'lblab-haproxy-tcp-e2e-'));
    env = { LBLAB_HOME: home };
    port = await freePortPair();
    const up = await runLblab(
      ['up', '--runtime', 'process', '--balancer', 'haproxy', '--mode', 'tcp', '--servers', '3', '--port', String(port), '--lab', lab, '--health-interval', '200ms', '--health-timeout', '150ms'],
      env,
      120_000,
    );
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain('in tcp mode (one server per connection)');
    balancerPid = await recordedPid(home, lab, 'balancer');
  }, 150_000);

  afterAll(async () => {
    const down = await runLblab(['down', '--lab', lab], env);
    expect(down.code, down.stderr).toBe(0);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(port + 1)).toBe(true);
    expect(await labProcesses(lab)).toEqual([]);
    expect(balancerPid).toBeDefined();
    expect(await groupMembers(balancerPid ?? 0)).toEqual([]);
    expect(existsSync(path.join(home, lab))).toBe(false);
    await rm(home, { recursive: true, force: true });
  }, 60_000);

  it('sends every request of a keep-alive connection to one server', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answers: Answer[] = [];
      for (let i = 0; i < 9; i++) answers.push(await get(port, agent));
      expect(new Set(answers.map((answer) => answer.localPort)).size).toBe(1);
      expect(new Set(answers.map((answer) => answer.server)).size).toBe(1);
      expect(answers[0]?.server).toMatch(/^server[123]$/);
    } finally {
      agent.destroy();
    }
  });

  it('rotates new connections round-robin over the servers', async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 9; i++) {
      const { server } = await get(port, false);
      counts[server] = (counts[server] ?? 0) + 1;
    }
    expect(counts).toEqual({ server1: 3, server2: 3, server3: 3 });
  });

  it('closes the connection of a killed server, and sends new connections elsewhere until it is revived', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { server } = await get(port, agent);
      const [socket] = Object.values(agent.freeSockets).flat();
      expect(socket).toBeDefined();
      const closed = new Promise<void>((resolve) => socket?.once('close', () => resolve()));
      const kill = await lblab('kill', server);
      expect(kill.code, kill.stderr).toBe(0);
      await closed;
      await eventually(async () => {
        const status = JSON.parse((await lblab('status', '--json')).stdout) as { servers: { name: string; health: string }[] };
        return status.servers.find((entry) => entry.name === server)?.health === 'down';
      }, `HAProxy to mark ${server} down`);
      const after = new Set<string>();
      for (let i = 0; i < 6; i++) after.add((await get(port, false)).server);
      expect(after.has(server)).toBe(false);
      expect(after.size).toBe(2);
      const revive = await lblab('revive', server);
      expect(revive.code, revive.stderr).toBe(0);
      await eventually(async () => {
        for (let i = 0; i < 3; i++) if ((await get(port, false)).server === server) return true;
        return false;
      }, `${server} to get new connections again`, 15_000);
    } finally {
      agent.destroy();
    }
  }, 60_000);

  it('shows connections and bytes in status', async () => {
    await eventually(async () => {
      const result = await lblab('status', '--json');
      const status = JSON.parse(result.stdout) as { mode?: string; connections?: { total: number; bytesToClients: number } };
      return status.mode === 'tcp' && (status.connections?.total ?? 0) >= 10 && (status.connections?.bytesToClients ?? 0) > 0;
    }, 'status to show the relayed connections');
  });

  it('refuses maglev at up, saying what HAProxy offers in tcp mode', async () => {
    const other = await freePortPair();
    const refused = await runLblab(['up', '--runtime', 'process', '--balancer', 'haproxy', '--mode', 'tcp', '--algorithm', 'maglev', '--port', String(other), '--lab', `${lab}x`], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('haproxy cannot run algorithm maglev in tcp mode');
    expect(refused.stderr).toContain('balance source + hash-type consistent');
  });
});

describe.runIf(installed('nginx'))('lblab up --balancer nginx --mode tcp on the process runtime', () => {
  it('is refused before anything starts when the installed nginx lacks the stream module', async (context) => {
    if ((await detectNginxStream('nginx')).kind !== 'absent') context.skip();
    const home = await mkdtemp(path.join(os.tmpdir(), 'lblab-nginx-tcp-e2e-'));
    try {
      const lab = `nt${process.pid}`;
      const refused = await runLblab(['up', '--runtime', 'process', '--balancer', 'nginx', '--mode', 'tcp', '--no-health', '--port', String(await freePortPair()), '--lab', lab], { LBLAB_HOME: home });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/the installed nginx \(.*nginx\) lacks it: .*apt-get install libnginx-mod-stream/);
      expect(await labProcesses(lab)).toEqual([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
