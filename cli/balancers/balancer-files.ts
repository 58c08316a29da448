import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { labDir } from '../paths.js';
import type { BalancerSettings } from './balancer-settings.js';
import { HAPROXY_FILES, haproxyConfig } from './haproxy-config.js';
import { NGINX_FILES, nginxConfig } from './nginx-config.js';

/** What lblab keeps about a HAProxy or nginx balancer, beside its configuration, to regenerate it. */
export interface ExternalBalancerState {
  readonly kind: 'haproxy' | 'nginx';
  /** The settings the current configuration was generated from (generation included). */
  readonly settings: BalancerSettings;
  /** Substitutions made with --closest, for status and results. */
  readonly notes: readonly string[];
}

const STATE_FILE = 'balancer.json';

/** The lab's balancer folder on this host: configuration, state, runtime socket, pid file, temp files. */
export function balancerRunDir(lab: string): string {
  return path.join(labDir(lab), 'balancer');
}

export function configFileName(kind: 'haproxy' | 'nginx'): string {
  return kind === 'haproxy' ? HAPROXY_FILES.config : NGINX_FILES.config;
}

export function generateConfig(kind: 'haproxy' | 'nginx', settings: BalancerSettings): string {
  return kind === 'haproxy' ? haproxyConfig(settings) : nginxConfig(settings);
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, file);
}

/**
 * Writes the configuration and the state it came from; the folder is made
 * owner-only. `configServers` (default: the state's) are the servers written
 * into the configuration.
 */
export async function writeBalancerFiles(lab: string, state: ExternalBalancerState, configServers = state.settings.servers): Promise<string> {
  const dir = balancerRunDir(lab);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(path.dirname(dir), 0o700).catch(() => undefined);
  await writeAtomically(path.join(dir, configFileName(state.kind)), generateConfig(state.kind, { ...state.settings, servers: configServers }));
  await writeAtomically(path.join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  return dir;
}

export async function readBalancerState(lab: string): Promise<ExternalBalancerState | undefined> {
  try {
    return JSON.parse(await readFile(path.join(balancerRunDir(lab), STATE_FILE), 'utf8')) as ExternalBalancerState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
