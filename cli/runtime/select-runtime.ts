import { LabError } from '../errors.js';
import type { DockerRuntime } from './docker/docker-runtime.js';
import type { Runtime, RuntimeKind } from './runtime.js';
import { ProcessRuntime } from './process/process-runtime.js';

export type RuntimeChoice = RuntimeKind | 'auto';
export const RUNTIME_CHOICES: readonly RuntimeChoice[] = ['auto', 'docker', 'process'];

const AUTO_PROBE_TIMEOUT_MS = 2_000;
const DOCKER_PROBE_TIMEOUT_MS = 5_000;
const LOOKUP_PROBE_TIMEOUT_MS = 1_500;

async function dockerRuntime(): Promise<DockerRuntime> {
  const { createDockerRuntime } = await import('./docker/docker-runtime.js');
  return createDockerRuntime();
}

/** The docker runtime when an engine answers quickly, to find labs whose record is lost; else undefined. */
export async function dockerRuntimeIfAnswering(): Promise<DockerRuntime | undefined> {
  const { probeDockerEngine } = await import('./docker/engine.js');
  return (await probeDockerEngine(LOOKUP_PROBE_TIMEOUT_MS)).ok ? dockerRuntime() : undefined;
}

/**
 * The runtime for a new lab. `auto` takes Docker when an engine answers and
 * says which it picked in one line.
 */
export async function selectRuntime(choice: RuntimeChoice, log: (line: string) => void): Promise<Runtime> {
  if (choice === 'process') return new ProcessRuntime();
  const { probeDockerEngine } = await import('./docker/engine.js');
  const probe = await probeDockerEngine(choice === 'docker' ? DOCKER_PROBE_TIMEOUT_MS : AUTO_PROBE_TIMEOUT_MS);
  if (probe.ok) {
    if (choice === 'auto') log(`runtime: docker (engine at ${probe.endpoint})`);
    return dockerRuntime();
  }
  if (choice === 'docker') {
    throw new LabError(
      'LBLAB_NO_ENGINE',
      `no Docker engine at ${probe.endpoint}: ${probe.reason}. Start one (dockerd, or Docker Desktop), set DOCKER_HOST, or run without Docker: lblab up --runtime process`,
    );
  }
  log(`runtime: process (no Docker engine at ${probe.endpoint}: ${probe.reason})`);
  return new ProcessRuntime();
}

/** The runtime of an existing lab, by the kind recorded for it. */
export async function runtimeOfKind(kind: RuntimeKind): Promise<Runtime> {
  return kind === 'process' ? new ProcessRuntime() : dockerRuntime();
}
