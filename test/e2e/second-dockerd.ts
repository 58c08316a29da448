import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { probeDockerEngine } from '../../cli/runtime/docker/engine.js';
import { findFreePort } from '../../cli/runtime/ports.js';
import { waitUntil } from '../../cli/lab/wait-until.js';

const run = promisify(execFile);

/** A second Docker engine on this machine, on its own socket, data root and address pool, started and stopped by pid. */
export interface SecondDockerd {
  readonly pid: number;
  readonly dir: string;
  /** unix:///tmp/lblab-d2-<id>/docker.sock */
  readonly unixHost: string;
  /** tcp://127.0.0.1:<port>, plain HTTP (only this machine's loopback). */
  readonly tcpHost: string;
  /** The /16 its networks come from. */
  readonly pool: string;
  /** Stops the daemon by its pid, removes its firewall exception and its folder; resolves once the process is gone. */
  stop(): Promise<void>;
}

export type SecondDockerdResult = { readonly ok: true; readonly daemon: SecondDockerd } | { readonly ok: false; readonly reason: string };

async function onPath(program: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${program}`]).then(
    () => true,
    () => false,
  );
}

/**
 * Bridged packets go through the host's FORWARD chain when br_netfilter is on,
 * and the main engine sets its policy to DROP: without an exception for the
 * second engine's own pool its containers could not reach each other. The
 * exception goes into DOCKER-USER (the chain Docker keeps for the user) and
 * matches only that pool, so the main engine's traffic is untouched.
 */
async function forwardException(pool: string): Promise<{ add(): Promise<void>; remove(): Promise<void> } | undefined> {
  const bridged = await readFile('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').then(
    (text) => text.trim() === '1',
    () => false,
  );
  if (!bridged) return undefined;
  // No DOCKER-USER chain: the main engine manages no firewall, so nothing drops the bridged packets.
  const chain = await run('iptables', ['-S', 'DOCKER-USER']).then(
    () => true,
    () => false,
  );
  if (!chain) return undefined;
  const rule = ['DOCKER-USER', '-s', pool, '-d', pool, '-j', 'ACCEPT'];
  return {
    add: async () => {
      await run('iptables', ['-I', ...rule]);
    },
    remove: async () => {
      await run('iptables', ['-D', ...rule]).catch(() => undefined);
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `dockerd` on /tmp/lblab-d2-<id>; `ok: false` with the reason when this machine cannot run a second engine. */
export async function startSecondDockerd(): Promise<SecondDockerdResult> {
  if (process.platform !== 'linux') return { ok: false, reason: `a second dockerd needs Linux, this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'a second dockerd needs root (it mounts and makes bridges)' };
  for (const program of ['dockerd', 'iptables']) {
    if (!(await onPath(program))) return { ok: false, reason: `${program} is not on PATH` };
  }
  const id = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = `/tmp/lblab-d2-${id}`;
  // One /16 per test process, away from Docker's default 172.17-31 and 192.168 pools.
  const pool = `10.${200 + (process.pid % 50)}.0.0/16`;
  const port = await findFreePort();
  await mkdir(path.join(dir, 'root'), { recursive: true });
  await mkdir(path.join(dir, 'exec'), { recursive: true });
  // An empty config file: the host's /etc/docker/daemon.json belongs to the main engine.
  await writeFile(path.join(dir, 'daemon.json'), '{}\n');
  const exception = await forwardException(pool);
  if (exception !== undefined) {
    try {
      await exception.add();
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      return { ok: false, reason: `could not add the DOCKER-USER exception for ${pool}: ${(error as Error).message}` };
    }
  }
  const log = openSync(path.join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    'dockerd',
    [
      `--host=unix://${dir}/docker.sock`,
      `--host=tcp://127.0.0.1:${port}`,
      `--data-root=${dir}/root`,
      `--exec-root=${dir}/exec`,
      `--pidfile=${dir}/docker.pid`,
      `--config-file=${dir}/daemon.json`,
      // No docker0 and no iptables rules of its own: the main engine owns the host's firewall chains.
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      `--default-address-pool=base=${pool},size=24`,
    ],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const gone = await Promise.race([exited(child).then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000))]);
      if (!gone) {
        process.kill(pid, 'SIGKILL');
        await exited(child);
      }
    }
    await exception?.remove();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  };
  if (pid === undefined) {
    await stop();
    return { ok: false, reason: 'dockerd did not start' };
  }
  const unixHost = `unix://${dir}/docker.sock`;
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`dockerd exited with code ${child.exitCode}`);
      return (await probeDockerEngine(2_000, { dockerHost: unixHost })).ok;
    }, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: `the second dockerd at ${unixHost}`,
      isFatal: () => child.exitCode !== null,
    });
  } catch (error) {
    const logText = existsSync(path.join(dir, 'dockerd.log')) ? readFileSync(path.join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-8).join('\n') : '';
    await stop();
    return { ok: false, reason: `${(error as Error).message}; dockerd said:\n${logText}` };
  }
  return { ok: true, daemon: { pid, dir, unixHost, tcpHost: `tcp://127.0.0.1:${port}`, pool, stop } };
}
