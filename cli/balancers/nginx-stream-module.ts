import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '../errors.js';

/** The Debian package with nginx's dynamic stream module (checked with `apt-cache search libnginx-mod-stream`). */
export const NGINX_STREAM_DEBIAN_PACKAGE = 'libnginx-mod-stream';

const MODULE_FILE = 'ngx_stream_module.so';
const DEFAULT_MODULES_DIR = '/usr/lib/nginx/modules';

/** Whether an nginx can run `stream` (tcp mode): built in, a module file to load, or absent (with why). */
export type NginxStreamSupport =
  | { readonly kind: 'static' }
  | { readonly kind: 'dynamic'; readonly modulePath: string }
  | { readonly kind: 'absent'; readonly reason: string };

/** The module file a `--with-stream=dynamic` build loads: under --modules-path, else under the prefix's modules/. */
export function streamModulePath(configureArguments: string): string {
  const modules = /--modules-path=(\S+)/.exec(configureArguments)?.[1];
  if (modules !== undefined) return path.posix.join(modules, MODULE_FILE);
  const prefix = /--prefix=(\S+)/.exec(configureArguments)?.[1];
  return prefix === undefined ? path.posix.join(DEFAULT_MODULES_DIR, MODULE_FILE) : path.posix.join(prefix, 'modules', MODULE_FILE);
}

/** Reads `nginx -V` output (its configure arguments) and whether the module file exists. */
export async function streamSupportFromBuild(versionOutput: string, exists: (file: string) => Promise<boolean>): Promise<NginxStreamSupport> {
  const args = versionOutput.split('\n').find((line) => line.startsWith('configure arguments:')) ?? '';
  const tokens = args.split(/\s+/);
  if (tokens.includes('--with-stream')) return { kind: 'static' };
  if (!tokens.includes('--with-stream=dynamic')) return { kind: 'absent', reason: 'it was built without the stream module' };
  const modulePath = streamModulePath(args);
  if (await exists(modulePath)) return { kind: 'dynamic', modulePath };
  return { kind: 'absent', reason: `it was built with --with-stream=dynamic, but the module file ${modulePath} is not installed` };
}

/** `program -V` (written to stderr) read for the stream module. */
export async function detectNginxStream(program: string): Promise<NginxStreamSupport> {
  const { stdout, stderr } = await promisify(execFile)(program, ['-V'], { timeout: 5_000 });
  return streamSupportFromBuild(`${stdout}${stderr}`, (file) => access(file).then(() => true, () => false));
}

/**
 * The `load_module` path tcp mode needs (undefined when stream is built in),
 * or an error saying that this nginx lacks the stream module and which package adds it.
 */
export async function requireNginxStream(program: string): Promise<string | undefined> {
  const support = await detectNginxStream(program);
  if (support.kind === 'static') return undefined;
  if (support.kind === 'dynamic') return support.modulePath;
  throw new LabError(
    'LBLAB_NOT_READY',
    `--balancer nginx --mode tcp needs nginx's stream module, and the installed nginx (${program}) lacks it: ${support.reason}; ` +
      `install it with \`apt-get install ${NGINX_STREAM_DEBIAN_PACKAGE}\`, or use --balancer haproxy or lblab for tcp mode`,
  );
}
