import type { DockerClient } from './docker-client.js';
import { DockerodeClient } from './dockerode-client.js';
import { isUnreachable, unreachableReason } from './engine-error.js';

export type EngineProbeResult =
  | { readonly ok: true; readonly endpoint: string }
  | { readonly ok: false; readonly endpoint: string; readonly reason: string };

export interface ProbeDockerEngineOptions {
  /** Defaults to DOCKER_HOST, else the local socket. */
  readonly dockerHost?: string;
  /** For tests: probe this client instead of a new one. */
  readonly client?: DockerClient;
}

/**
 * Whether a Docker engine answers GET /_ping within timeoutMs. Never
 * throws: `reason` says why not, e.g. `connect ENOENT /var/run/docker.sock`.
 */
export async function probeDockerEngine(timeoutMs: number, options: ProbeDockerEngineOptions = {}): Promise<EngineProbeResult> {
  let client: DockerClient;
  try {
    client = options.client ?? new DockerodeClient(options.dockerHost === undefined ? {} : { dockerHost: options.dockerHost });
  } catch (error) {
    const endpoint = options.dockerHost ?? process.env.DOCKER_HOST ?? 'unknown';
    return { ok: false, endpoint, reason: error instanceof Error ? error.message : String(error) };
  }
  const endpoint = client.endpoint;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    await client.ping(signal);
    return { ok: true, endpoint };
  } catch (error) {
    if (signal.aborted) return { ok: false, endpoint, reason: `no answer within ${timeoutMs} ms` };
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    const reason = isUnreachable(cause) ? unreachableReason(cause) : error instanceof Error ? error.message : String(error);
    return { ok: false, endpoint, reason };
  }
}
