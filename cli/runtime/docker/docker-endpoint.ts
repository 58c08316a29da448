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
