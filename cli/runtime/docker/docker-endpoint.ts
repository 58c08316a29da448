import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../../errors.js';

/** Where the engine is, as shown to the user, and how to reach it. */
export interface DockerEndpoint {
  /** `unix:///var/run/docker.sock`, or the DOCKER_HOST value as given. */
  readonly endpoint: string;
  /**
   * Connection options for dockerode; undefined lets dockerode read
   * DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself.
   */
  readonly connection?: DockerConnection;
}

export type DockerConnection =
  | { readonly socketPath: string }
  | { readonly host: string; readonly port: number; readonly protocol: 'http' | 'https' };

function defaultSocketPath(): string {
  if (process.platform === 'win32') return '//./pipe/docker_engine';
  // Docker Desktop's per-user socket wins, as dockerode does.
  const userSocket = path.join(os.homedir(), '.docker', 'run', 'docker.sock');
  return existsSync(userSocket) ? userSocket : '/var/run/docker.sock';
}

function socketEndpoint(socketPath: string): DockerEndpoint {
  const scheme = socketPath.startsWith('//./pipe/') ? 'npipe://' : 'unix://';
  return { endpoint: `${scheme}${socketPath}`, connection: { socketPath } };
}

function parseDockerHost(dockerHost: string): DockerEndpoint {
  if (dockerHost.startsWith('unix://')) return socketEndpoint(dockerHost.slice('unix://'.length) || defaultSocketPath());
  if (dockerHost.startsWith('npipe://')) {
    const socketPath = dockerHost.slice('npipe://'.length) || '//./pipe/docker_engine';
    return { endpoint: dockerHost, connection: { socketPath } };
  }
  let url: URL;
  try {
    url = new URL(dockerHost.includes('//') ? dockerHost : `tcp://${dockerHost}`);
  } catch (error) {
    throw new LabError('LBLAB_BAD_INPUT', `Docker host ${JSON.stringify(dockerHost)} is not valid: expected unix:///path, npipe:////./pipe/name or tcp://host:port`, {
      cause: error,
    });
  }
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol) || url.hostname === '') {
    throw new LabError(
      'LBLAB_BAD_INPUT',
      `Docker host ${JSON.stringify(dockerHost)} is not supported here: expected unix:///path, npipe:////./pipe/name or tcp://host:port (ssh:// works through DOCKER_HOST)`,
    );
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 2376 : 2375) : Number(url.port);
  const protocol = url.protocol === 'https:' || port === 2376 ? 'https' : 'http';
  return { endpoint: dockerHost, connection: { host: url.hostname, port, protocol } };
}

/**
 * The engine endpoint: an explicit `dockerHost`, else DOCKER_HOST (read by
 * dockerode itself, so TLS and ssh settings apply), else the local socket.
 */
export function resolveDockerEndpoint(dockerHost?: string, env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const fromEnv = env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== '' && dockerHost !== fromEnv) return parseDockerHost(dockerHost);
  if (fromEnv !== undefined && fromEnv !== '') return { endpoint: fromEnv };
  return socketEndpoint(defaultSocketPath());
}

/** Whether published 127.0.0.1 ports of this engine are this machine's 127.0.0.1 (so a local probe means something). */
export function isLocalEndpoint(endpoint: string): boolean {
  if (endpoint.startsWith('unix://') || endpoint.startsWith('npipe://')) return true;
  return /^(?:tcp|http|https):\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?\/?$/.test(endpoint);
}

/** Where this machine reaches the ports a lab publishes on an engine, and the engine-side address they are bound to. */
export interface PublishedAddress {
  /** Host part of the lab's URLs on this machine: `127.0.0.1`, or the remote engine's host (`[fd00::5]` for IPv6). */
  readonly host: string;
  /** HostIp of the port bindings on the engine: 127.0.0.1 when the ports are reached at this machine's (or a tunnel's) 127.0.0.1, else all interfaces. */
  readonly bindIp: '127.0.0.1' | '0.0.0.0';
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;
const LOCAL: PublishedAddress = { host: '127.0.0.1', bindIp: '127.0.0.1' };

/**
 * The one place that decides where a lab's published ports are reachable.
 * A Unix socket or npipe is this machine's engine; an ssh:// engine is reached
 * through a tunnel to its 127.0.0.1 (`ssh -L 8080:127.0.0.1:8080 ...`), so its
 * ports stay on its loopback and are used at this machine's 127.0.0.1; a
 * tcp:// engine elsewhere publishes on all its interfaces and is used at its
 * host name. LBLAB_PUBLISHED_HOST names another host (a tunnel's, a NAT's).
 */
export function publishedAddress(endpoint: string, env: NodeJS.ProcessEnv = process.env): PublishedAddress {
  const override = env.LBLAB_PUBLISHED_HOST?.trim();
  if (override !== undefined && override !== '') {
    if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/.test(override)) {
      throw new LabError(
        'LBLAB_BAD_INPUT',
        `LBLAB_PUBLISHED_HOST must be a host name or address (example.com, 10.0.0.5, [fd00::5]), got ${JSON.stringify(override)}`,
      );
    }
    return LOOPBACK.test(override) ? LOCAL : { host: override, bindIp: '0.0.0.0' };
  }
  if (endpoint.startsWith('unix://') || endpoint.startsWith('npipe://') || endpoint.startsWith('ssh://')) return LOCAL;
  let url: URL;
  try {
    url = new URL(endpoint.includes('//') ? endpoint : `tcp://${endpoint}`);
  } catch {
    return LOCAL;
  }
  if (url.hostname === '' || LOOPBACK.test(url.hostname)) return LOCAL;
  return { host: url.hostname, bindIp: '0.0.0.0' };
}

/** DOCKER_CERT_PATH's files that dockerode reads when it is set: a missing one is named here rather than as a bare ENOENT. */
export function missingTlsFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const certPath = env.DOCKER_CERT_PATH;
  if (certPath === undefined || certPath === '' || env.DOCKER_HOST === undefined || env.DOCKER_HOST.startsWith('unix://')) return [];
  return ['ca.pem', 'cert.pem', 'key.pem'].map((file) => path.join(certPath, file)).filter((file) => !existsSync(file));
}
