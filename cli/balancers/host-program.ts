import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { EXTERNAL_BALANCERS, type ExternalBalancer } from './balancer-kind.js';

const SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];

/** The host's HAProxy or nginx binary, or an error naming the Debian package that installs it. */
export async function findHostProgram(kind: 'haproxy' | 'nginx'): Promise<string> {
  const balancer: ExternalBalancer = EXTERNAL_BALANCERS[kind];
  const dirs = [...SEARCH_DIRS, ...(process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '')];
  for (const dir of new Set(dirs)) {
    const candidate = path.join(dir, balancer.program);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  throw new LabError(
    'LBLAB_NOT_READY',
    `--balancer ${kind} needs the ${balancer.program} program, which is not installed (looked in ${[...new Set(dirs)].join(', ')}); ` +
      `install it with \`apt-get install ${balancer.debianPackage}\` or use --balancer lblab`,
  );
}

/** The command line that runs the balancer in the foreground on runDir's configuration. */
export function externalBalancerArgs(kind: 'haproxy' | 'nginx', runDir: string): string[] {
  if (kind === 'haproxy') return ['-W', '-db', '-f', path.posix.join(runDir, 'haproxy.cfg')];
  return ['-p', runDir, '-e', 'stderr', '-c', path.posix.join(runDir, 'nginx.conf')];
}

/** The signal that makes a running balancer re-read its configuration without dropping connections. */
export function reloadSignal(kind: 'haproxy' | 'nginx'): NodeJS.Signals {
  return kind === 'haproxy' ? 'SIGUSR2' : 'SIGHUP';
}
