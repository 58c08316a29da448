import { CONTAINER_UID } from './labels.js';
import type { TarEntry } from './tar-pack.js';

export interface RootfsSkeletonOptions {
  /** Add the `nobody` user and `nogroup` group (nginx and HAProxy drop to them). */
  readonly nobody: boolean;
  /** The image's own working folder: `app` (the Node base), `run/lblab` (a balancer's run folder). */
  readonly workDirectory: string;
}

/** The files and folders every image lblab makes from the host has: users, name lookup, mount points. */
export function rootfsSkeleton(options: RootfsSkeletonOptions): TarEntry[] {
  const nobodyUser = options.nobody ? 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' : '';
  const nobodyGroup = options.nobody ? 'nogroup:x:65534:\n' : '';
  return [
    { type: 'file', name: 'etc/passwd', mode: 0o644, content: `root:x:0:0:root:/root:/sbin/nologin\n${nobodyUser}lblab:x:${CONTAINER_UID}:${CONTAINER_UID}:lblab:/home/lblab:/sbin/nologin\n` },
    { type: 'file', name: 'etc/group', mode: 0o644, content: `root:x:0:\n${nobodyGroup}lblab:x:${CONTAINER_UID}:\n` },
    { type: 'file', name: 'etc/nsswitch.conf', mode: 0o644, content: 'passwd: files\ngroup: files\nhosts: files dns\n' },
    // Mount points the engine binds over; present so a read-only root file system needs no new files.
    { type: 'file', name: 'etc/hosts', mode: 0o644, content: '' },
    { type: 'file', name: 'etc/hostname', mode: 0o644, content: '' },
    { type: 'file', name: 'etc/resolv.conf', mode: 0o644, content: '' },
    { type: 'directory', name: 'tmp', mode: 0o1777 },
    { type: 'directory', name: options.workDirectory, mode: 0o755 },
    { type: 'directory', name: 'root', mode: 0o700 },
    { type: 'directory', name: 'home/lblab', mode: 0o755, uid: CONTAINER_UID },
    { type: 'directory', name: 'dev', mode: 0o755 },
    { type: 'directory', name: 'proc', mode: 0o755 },
    { type: 'directory', name: 'sys', mode: 0o755 },
  ];
}
