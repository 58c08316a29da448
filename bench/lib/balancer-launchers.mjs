// Starts each balancer under test in front of the same servers, pinned to the
// server CPU. A reference balancer that is not installed is a skip with a note.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from './free-port.mjs';
import { haproxyConfig } from './haproxy-config.mjs';
import { nginxConfig } from './nginx-config.mjs';
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
export async function startHaproxy(group, pinning, { tempDir, servers }) {
  const binary = findProgram('haproxy');
  if (binary === undefined) return { skipped: 'haproxy is not installed (apt-get install haproxy)' };
  const dir = path.join(tempDir, 'haproxy');
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const file = path.join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig({ port, servers }));
  const [command, args] = pinning.wrap('server', binary, ['-f', file, '-db']);
  const url = `http://127.0.0.1:${port}`;
  const pid = await startAndProbe(group, { name: 'haproxy', command, args }, `${url}/home`);
  return { url, pid, version: programVersion(binary, ['-v']) };
}

/** @returns {Promise<{ url: string } | { skipped: string }>} */
export async function startNginx(group, pinning, { tempDir, servers }) {
  const binary = findProgram('nginx');
  if (binary === undefined) return { skipped: 'nginx is not installed (apt-get install nginx)' };
  const dir = path.join(tempDir, 'nginx');
  await mkdir(dir, { recursive: true });
  // Workers may run as another user (nobody) and must reach their temp folders.
  await chmod(tempDir, 0o755);
  await chmod(dir, 0o755);
  const port = await freePort();
  const file = path.join(dir, 'nginx.conf');
  await writeFile(file, nginxConfig({ port, dir, servers }));
  const [command, args] = pinning.wrap('server', binary, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', file, '-g', 'daemon off;']);
  const url = `http://127.0.0.1:${port}`;
  const pid = await startAndProbe(group, { name: 'nginx', command, args }, `${url}/home`);
  return { url, pid, version: programVersion(binary, ['-v']) };
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
