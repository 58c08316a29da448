import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EXTERNAL_BALANCERS } from '../../balancers/balancer-kind.js';
import { findHostProgram } from '../../balancers/host-program.js';
import { LabError } from '../../errors.js';
import type { DockerClient } from './docker-client.js';
import { parseLddOutput } from './host-node-rootfs.js';
import { CONTAINER_UID, LABEL } from './labels.js';
import { rootfsSkeleton } from './rootfs-skeleton.js';
import { packTar, parentDirectories, type TarEntry } from './tar-pack.js';

const execFileAsync = promisify(execFile);

/** Bump when the skeleton below changes, so older images are not reused. */
const ROOTFS_FORMAT = 'lblab-balancer-image/1';
export const HOST_BALANCER_REPOSITORY = { haproxy: 'lblab/haproxy', nginx: 'lblab/nginx' } as const;

const SKELETON: readonly TarEntry[] = rootfsSkeleton({ nobody: true, workDirectory: 'run/lblab' });

export interface BalancerImage {
  readonly ref: string;
  /** The program's path in the image. */
  readonly programPath: string;
  /** official: present in the engine; pulled: fetched now; host: made from this host's package. */
  readonly source: 'official' | 'pulled' | 'host';
}

export interface EnsureBalancerImageOptions {
  readonly client: DockerClient;
  readonly kind: 'haproxy' | 'nginx';
  readonly log: (line: string) => void;
  /** How long a pull of the official image may take before lblab makes its own. */
  readonly pullTimeoutMs: number;
  /** Official images tried first; default the kind's (haproxy:2.6..., nginx:stable...). */
  readonly officialImages?: readonly string[];
}

interface HostFile {
  readonly pathInImage: string;
  readonly sourcePath: string;
  readonly size: number;
}

async function hostFiles(kind: 'haproxy' | 'nginx'): Promise<{ files: HostFile[]; hash: string }> {
  const program = await realpath(await findHostProgram(kind));
  const { stdout } = await execFileAsync('ldd', [program], { encoding: 'utf8' }).catch((error: unknown) => {
    throw new LabError('LBLAB_ENGINE', `cannot list the shared libraries of ${program} with ldd: ${(error as Error).message}`, { cause: error });
  });
  const files: HostFile[] = [{ pathInImage: EXTERNAL_BALANCERS[kind].pathInImage, sourcePath: program, size: (await stat(program)).size }];
  for (const library of parseLddOutput(stdout)) {
    const sourcePath = await realpath(library);
    files.push({ pathInImage: library, sourcePath, size: (await stat(sourcePath)).size });
  }
  const hash = createHash('sha256');
  hash.update(`${ROOTFS_FORMAT}\n${kind}\n${JSON.stringify(SKELETON)}\n`);
  for (const file of files) {
    hash.update(`\n${file.pathInImage}\n`);
    for await (const chunk of createReadStream(file.sourcePath)) hash.update(chunk as Buffer);
  }
  return { files, hash: hash.digest('hex') };
}

function packRootfs(files: readonly HostFile[]) {
  const entries: TarEntry[] = files.map((file) => ({ type: 'file-from-disk', name: file.pathInImage.slice(1), mode: 0o755, sourcePath: file.sourcePath, size: file.size }));
  const skeletonDirs = new Set(SKELETON.filter((entry) => entry.type === 'directory').map((entry) => entry.name));
  const parents = parentDirectories([...entries, ...SKELETON].map((entry) => entry.name))
    .filter((dir) => !skeletonDirs.has(dir))
    .map((name): TarEntry => ({ type: 'directory', name, mode: 0o755 }));
  return packTar([...parents, ...SKELETON, ...entries]);
}

async function tryPull(client: DockerClient, ref: string, timeoutMs: number): Promise<boolean> {
  try {
    await client.pullImage(ref, AbortSignal.timeout(timeoutMs));
    return (await client.inspectImage(ref)) !== undefined;
  } catch (error) {
    if (error instanceof LabError && error.code === 'LBLAB_NO_ENGINE') throw error;
    return false;
  }
}

/**
 * The image HAProxy or nginx runs on: the official image when the engine has
 * it or can pull it, else `lblab/<kind>:<hash>` made from this host's
 * installed package (the binary and the libraries ldd lists, a non-root
 * user), reused while those files are unchanged.
 */
export async function ensureBalancerImage(options: EnsureBalancerImageOptions): Promise<BalancerImage> {
  const { client, kind, log } = options;
  const balancer = EXTERNAL_BALANCERS[kind];
  const official = options.officialImages ?? balancer.officialImages;
  for (const ref of official) {
    if ((await client.inspectImage(ref)) !== undefined) return { ref, programPath: balancer.pathInImage, source: 'official' };
  }
  const host = await hostFiles(kind).then(
    (found) => ({ found }),
    (error: unknown) => ({ error }),
  );
  const ref = 'found' in host ? `${HOST_BALANCER_REPOSITORY[kind]}:${host.found.hash.slice(0, 12)}` : undefined;
  if (ref !== undefined && (await client.inspectImage(ref)) !== undefined) return { ref, programPath: balancer.pathInImage, source: 'host' };
  const wanted = official[0];
  if (wanted !== undefined && (await tryPull(client, wanted, options.pullTimeoutMs))) {
    log(`pulled ${wanted}`);
    return { ref: wanted, programPath: balancer.pathInImage, source: 'pulled' };
  }
  if ('error' in host) {
    const reason = (host.error as Error).message;
    throw new LabError('LBLAB_NOT_READY', `no ${kind} image in the engine, no registry answered, and none can be made from this host: ${reason}`, {
      cause: host.error,
    });
  }
  const libraryDirs = [...new Set(host.found.files.slice(1).map((file) => path.posix.dirname(file.pathInImage)))];
  await client.importImage(packRootfs(host.found.files), {
    ref: ref ?? '',
    changes: [
      `LABEL ${LABEL.role}=image ${LABEL.image}=${kind} ${LABEL.contentHash}=${host.found.hash}`,
      'ENV PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/bin',
      `ENV LD_LIBRARY_PATH=${libraryDirs.join(':')}`,
      `USER ${CONTAINER_UID}:${CONTAINER_UID}`,
    ],
  });
  log(`no ${kind} image and no registry; made ${ref ?? ''} from this host's ${balancer.debianPackage} package`);
  return { ref: ref ?? '', programPath: balancer.pathInImage, source: 'host' };
}
