import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { LabError } from '../../errors.js';
import { NODE_PATH_IN_IMAGE } from './labels.js';
import { rootfsSkeleton } from './rootfs-skeleton.js';
import { packTar, parentDirectories, type TarEntry } from './tar-pack.js';

const execFileAsync = promisify(execFile);

/** Bump when the skeleton below changes, so older base images are not reused. */
const ROOTFS_FORMAT = 'lblab-node-base/1';

const SKELETON: readonly TarEntry[] = rootfsSkeleton({ nobody: false, workDirectory: 'app' });

/** A shared library the node binary loads: where the loader looks for it, and the file behind it. */
export interface SharedLibrary {
  readonly pathInImage: string;
  readonly sourcePath: string;
  readonly size: number;
}

export interface HostNode {
  /** `v20.20.2` */
  readonly version: string;
  /** The real node binary (symlinks resolved). */
  readonly binaryPath: string;
  readonly binarySize: number;
  readonly libraries: readonly SharedLibrary[];
  /** sha256 (hex) of the binary, the library list and contents, and the skeleton. */
  readonly hash: string;
}

/**
 * Paths of the shared objects in `ldd` output, the dynamic loader included;
 * `linux-vdso.so.1` (no file) is skipped. Throws when a library is not found.
 */
export function parseLddOutput(output: string): string[] {
  const paths: string[] = [];
  for (const rawLine of output.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.includes('statically linked')) continue;
    const arrow = /^(\S+)\s+=>\s+(.*?)(?:\s+\(0x[0-9a-f]+\))?$/.exec(line);
    if (arrow !== null) {
      const target = arrow[2] ?? '';
      if (target === 'not found') throw new Error(`shared library ${arrow[1] ?? '?'} not found`);
      if (target.startsWith('/')) paths.push(target);
      continue;
    }
    const direct = /^(\/\S+)\s+\(0x[0-9a-f]+\)$/.exec(line);
    if (direct?.[1] !== undefined) paths.push(direct[1]);
  }
  return [...new Set(paths)];
}

async function listLibraries(binaryPath: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('ldd', [binaryPath], { encoding: 'utf8' }));
  } catch (error) {
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    if (/not a dynamic executable|statically linked/.test(output + ((error as { stderr?: string }).stderr ?? ''))) return [];
    throw new LabError('LBLAB_ENGINE', `cannot list the shared libraries of ${binaryPath} with ldd: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseLddOutput(stdout);
  } catch (error) {
    throw new LabError('LBLAB_ENGINE', `cannot make a base image from ${binaryPath}: ${(error as Error).message}`, { cause: error });
  }
}

async function hashFile(hash: ReturnType<typeof createHash>, file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

let cached: { readonly key: string; readonly node: Promise<HostNode> } | undefined;

async function describeHostNode(binaryPath: string, binarySize: number): Promise<HostNode> {
  const libraryPaths = await listLibraries(binaryPath);
  const libraries: SharedLibrary[] = [];
  for (const pathInImage of libraryPaths) {
    const sourcePath = await realpath(pathInImage);
    libraries.push({ pathInImage, sourcePath, size: (await stat(sourcePath)).size });
  }
  const hash = createHash('sha256');
  hash.update(`${ROOTFS_FORMAT}\n${JSON.stringify(SKELETON)}\n`);
  await hashFile(hash, binaryPath);
  for (const library of libraries) {
    hash.update(`\n${library.pathInImage}\n`);
    await hashFile(hash, library.sourcePath);
  }
  return { version: process.version, binaryPath, binarySize, libraries, hash: hash.digest('hex') };
}

/**
 * This host's node runtime as files for an image. Linux only (the binary must
 * run in the engine's Linux containers). Hashing ~100 MB takes a few hundred
 * milliseconds, so the answer is kept for the process while the binary is unchanged.
 */
export async function hostNode(): Promise<HostNode> {
  if (process.platform !== 'linux') {
    throw new LabError(
      'LBLAB_ENGINE',
      `cannot make a base image from this host's node: it is built for ${process.platform}, and containers need a Linux binary`,
    );
  }
  const binaryPath = await realpath(process.execPath);
  const info = await stat(binaryPath);
  const key = `${binaryPath}:${info.size}:${info.mtimeMs}`;
  if (cached?.key !== key) {
    const node = describeHostNode(binaryPath, info.size);
    cached = { key, node };
    node.catch(() => {
      if (cached?.node === node) cached = undefined;
    });
  }
  return cached.node;
}

/** Directories the libraries live in, for LD_LIBRARY_PATH (the image has no ld.so.cache). */
export function libraryDirectories(node: HostNode): string[] {
  return [...new Set(node.libraries.map((library) => path.posix.dirname(library.pathInImage)))];
}

/** The root file system: node at /usr/local/bin/node, its libraries where ldd found them, users and /tmp. */
export function packHostNodeRootfs(node: HostNode): Readable {
  const files: TarEntry[] = [
    { type: 'file-from-disk', name: NODE_PATH_IN_IMAGE.slice(1), mode: 0o755, sourcePath: node.binaryPath, size: node.binarySize },
    ...node.libraries.map(
      (library): TarEntry => ({ type: 'file-from-disk', name: library.pathInImage.slice(1), mode: 0o755, sourcePath: library.sourcePath, size: library.size }),
    ),
  ];
  const skeletonDirs = new Set(SKELETON.filter((entry) => entry.type === 'directory').map((entry) => entry.name));
  const parents = parentDirectories([...files, ...SKELETON].map((entry) => entry.name))
    .filter((dir) => !skeletonDirs.has(dir))
    .map((name): TarEntry => ({ type: 'directory', name, mode: 0o755 }));
  return packTar([...parents, ...SKELETON, ...files]);
}
