import { LabError } from '../../errors.js';
import type { DockerClient } from './docker-client.js';
import { hostNode, libraryDirectories, packHostNodeRootfs } from './host-node-rootfs.js';
import { IMAGE_REPOSITORY, LABEL } from './labels.js';

export const OFFICIAL_NODE_IMAGES: readonly string[] = ['node:20-slim', 'node:20'];
/** `<repository>/node-base`: the base made from this host's node. */
export function hostBaseRepository(repository: string): string {
  return `${repository}/node-base`;
}

export interface BaseImage {
  readonly ref: string;
  /** Image id (sha256:...). */
  readonly id: string;
  /** official: present locally; pulled: fetched now; host: made from this host's node. */
  readonly source: 'official' | 'pulled' | 'host';
}

export interface EnsureBaseImageOptions {
  readonly client: DockerClient;
  readonly log: (line: string) => void;
  /** Official images to use when present, in order of preference; the first is pulled. */
  readonly officialImages: readonly string[];
  readonly pullTimeoutMs: number;
  /** Repository prefix of a base made from this host (default lblab). */
  readonly repository?: string;
}

/** Node's process.arch as Go names it (the engine's Arch). */
function goArch(arch: string): string {
  return ({ x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch] ?? arch;
}

async function tryPull(client: DockerClient, ref: string, timeoutMs: number): Promise<boolean> {
  try {
    await client.pullImage(ref, AbortSignal.timeout(timeoutMs));
    return true;
  } catch (error) {
    if (error instanceof LabError && error.code === 'LBLAB_NO_ENGINE') throw error;
    return false;
  }
}

async function importHostNode(client: DockerClient, log: (line: string) => void, pulled: string, repository: string): Promise<BaseImage> {
  const node = await hostNode();
  const ref = `${hostBaseRepository(repository)}:${node.hash.slice(0, 12)}`;
  const present = await client.inspectImage(ref);
  if (present !== undefined) return { ref, id: present.Id, source: 'host' };

  const engine = await client.version();
  if (engine.Os !== 'linux' || engine.Arch !== goArch(process.arch)) {
    throw new LabError(
      'LBLAB_ENGINE',
      `no registry answered (${pulled}) and this host's node (${process.platform}/${goArch(process.arch)}) cannot run on the engine's ${engine.Os}/${engine.Arch}; load a Node image with docker load, or give the engine registry access`,
    );
  }
  await client.importImage(packHostNodeRootfs(node), {
    ref,
    changes: [
      `LABEL ${LABEL.role}=image ${LABEL.image}=base ${LABEL.contentHash}=${node.hash} ${LABEL.repository}=${repository}`,
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      `ENV LD_LIBRARY_PATH=${libraryDirectories(node).join(':')}`,
    ],
  });
  const made = await client.inspectImage(ref);
  if (made === undefined) throw new LabError('LBLAB_ENGINE', `imported ${ref} but the engine does not list it`);
  log(`no registry answered; made base image ${ref} from this host's node ${node.version}`);
  return { ref, id: made.Id, source: 'host' };
}

/**
 * The image lblab's programs run on: an official Node image when present or
 * quickly pulled, else `lblab/node-base:<hash>` made from this host's node
 * binary and its shared libraries (reused while the binary is unchanged).
 */
export async function ensureBaseImage(options: EnsureBaseImageOptions): Promise<BaseImage> {
  const { client, log } = options;
  const repository = options.repository ?? IMAGE_REPOSITORY;
  for (const ref of options.officialImages) {
    const image = await client.inspectImage(ref);
    if (image !== undefined) return { ref, id: image.Id, source: 'official' };
  }
  // A base made earlier wins over a pull attempt, so offline `up` stays fast.
  const host = await hostNode().then(
    (node) => ({ node }),
    (error: unknown) => ({ error }),
  );
  if ('node' in host) {
    const ref = `${hostBaseRepository(repository)}:${host.node.hash.slice(0, 12)}`;
    const present = await client.inspectImage(ref);
    if (present !== undefined) return { ref, id: present.Id, source: 'host' };
  }
  const wanted = options.officialImages[0];
  if (wanted !== undefined && (await tryPull(client, wanted, options.pullTimeoutMs))) {
    const pulled = await client.inspectImage(wanted);
    if (pulled !== undefined) {
      log(`pulled base image ${wanted}`);
      return { ref: wanted, id: pulled.Id, source: 'pulled' };
    }
  }
  if ('error' in host) throw host.error;
  return importHostNode(client, log, wanted === undefined ? 'no official image configured' : `pull of ${wanted} failed`, repository);
}
