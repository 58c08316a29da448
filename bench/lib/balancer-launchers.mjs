// Starts each balancer under test in front of the same servers, pinned to the
// server CPU. A reference balancer that is not installed is a skip with a note.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './free-port.mjs';
import { loadBalancerConfigs } from './balancer-configs-bundle.mjs';
import { waitForHttp } from './wait-for-http.mjs';

const LBLAB_LISTENING = /listening data (http:\/\/127\.0\.0\.1:\d+) admin (http:\/\/127\.0\.0\.1:\d+)/;
const NAIVE_LISTENING = /listening naive (http:\/\/127\.0\.0\.1:\d+)/;

/** lblab's balancer (dist/balancer.js) with `algorithm` and its default health checks. */
export async function startLblabBalancer(group, pinning, { distDir, servers, algorithm }) {
  const config = { host: '127.0.0.1', port: 0, adminPort: 0, algorithm, servers: servers.map(({ name, url }) => ({ name, url })) };
  const [command, args] = pinning.wrap('server', process.execPath, [path.join(distDir, 'balancer.js')]);
  const { member, match } = await group.start({
    name: `lblab ${algorithm}`,
    command,
    args,
    env: { LBLAB_BALANCER_CONFIG: JSON.stringify(config) },
    readyPattern: LBLAB_LISTENING,
  });
  await waitForHttp(`${match[1]}/home`);
  return { url: match[1], adminUrl: match[2], pid: member.child.pid };
}

export async function startNaiveProxy(group, pinning, { benchDir, servers }) {
  const [command, args] = pinning.wrap('server', process.execPath, [
    path.join(benchDir, 'naive-proxy.mjs'),
    '--port',
    '0',
    '--upstreams',
    servers.map((server) => server.url).join(','),
  ]);
  const { member, match } = await group.start({ name: 'naive proxy', command, args, readyPattern: NAIVE_LISTENING });
  await waitForHttp(`${match[1]}/home`);
  return { url: match[1], pid: member.child.pid };
}

/** @returns {Promise<{ url: string } | { skipped: string }>} */
export function startHaproxy(group, pinning, options) {
  return startExternal('haproxy', group, pinning, options);
}

/** @returns {Promise<{ url: string } | { skipped: string }>} */
export function startNginx(group, pinning, options) {
  return startExternal('nginx', group, pinning, options);
}

/**
 * HAProxy or nginx on the configuration `lblab up --balancer <kind>` generates
 * from lblab's default settings (cli/balancers/), so the bench measures the
 * balancer the lab runs.
 */
async function startExternal(kind, group, pinning, { tempDir, servers }) {
  const binary = findProgram(kind);
  if (binary === undefined) return { skipped: `${kind} is not installed (apt-get install ${kind === 'nginx' ? 'nginx-light' : 'haproxy'})` };
  const { benchBalancerConfig, externalBalancerArgs } = await loadBalancerConfigs();
  const dir = path.join(tempDir, kind);
  await mkdir(dir, { recursive: true });
  // nginx's workers may run as another user (nobody) and must reach their temp folders.
  await chmod(tempDir, 0o755);
  await chmod(dir, 0o755);
  const port = await freePort();
  const adminPort = await freePort();
  const { config, notes } = benchBalancerConfig(kind, { port, adminPort, dir, servers });
  await writeFile(path.join(dir, kind === 'haproxy' ? 'haproxy.cfg' : 'nginx.conf'), config);
  const [command, args] = pinning.wrap('server', binary, externalBalancerArgs(kind, dir));
  const url = `http://127.0.0.1:${port}`;
  const pid = await startAndProbe(group, { name: kind, command, args }, `${url}/home`);
  return { url, pid, version: programVersion(binary, ['-v']), notes };
}

/** Starts a program that prints nothing when ready, and polls `probeUrl`; fails early, with its output, if it exits. Resolves with its pid. */
async function startAndProbe(group, spec, probeUrl) {
  const { member } = await group.start(spec);
  const exited = member.exitedPromise.then(() => {
    throw new Error(`${spec.name} exited (${member.exitCode}): ${group.outputOf(member).trim().slice(-500)}`);
  });
  exited.catch(() => undefined); // stopping it later is not an error
  await Promise.race([waitForHttp(probeUrl), exited]);
  return member.child.pid;
}

function findProgram(name) {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')]) {
    const candidate = path.join(dir, name);
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore', timeout: 5000 }).status === 0) return candidate;
  }
  return undefined;
}

function programVersion(binary, args) {
  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: 5000 });
  return `${result.stdout}${result.stderr}`.split('\n')[0]?.trim();
}
