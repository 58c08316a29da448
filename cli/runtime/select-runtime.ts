import { LabError } from '../errors.js';
import type { DockerRuntime } from './docker/docker-runtime.js';
import type { SwarmRuntime, SwarmRuntimeOptions } from './swarm/swarm-runtime.js';
import type { Runtime, RuntimeKind } from './runtime.js';
import { ProcessRuntime } from './process/process-runtime.js';

export type RuntimeChoice = RuntimeKind | 'auto';
export const RUNTIME_CHOICES: readonly RuntimeChoice[] = ['auto', 'docker', 'swarm', 'process'];

/** How a new swarm lab places its servers and where its images come from (`--placement`, `--registry`). */
export type SwarmChoices = Pick<SwarmRuntimeOptions, 'placement' | 'registry'>;
export { SWARM_PLACEMENTS } from './swarm/swarm-labels.js';

const AUTO_PROBE_TIMEOUT_MS = 2_000;
const DOCKER_PROBE_TIMEOUT_MS = 5_000;
const LOOKUP_PROBE_TIMEOUT_MS = 1_500;

async function dockerRuntime(): Promise<DockerRuntime> {
  const { createDockerRuntime } = await import('./docker/docker-runtime.js');
  return createDockerRuntime();
}

async function swarmRuntime(options: SwarmChoices = {}): Promise<SwarmRuntime> {
  const { createSwarmRuntime } = await import('./swarm/swarm-runtime.js');
  return createSwarmRuntime(options);
}

/**
 * The swarm runtime when the engine answers quickly and holds a swarm lab of
 * this name (its overlay network or services), to find a lab whose record is lost.
 */
export async function swarmRuntimeIfItHolds(lab: string): Promise<SwarmRuntime | undefined> {
  const { probeDockerEngine } = await import('./docker/engine.js');
  if (!(await probeDockerEngine(LOOKUP_PROBE_TIMEOUT_MS)).ok) return undefined;
  const swarm = await swarmRuntime();
  return (await swarm.isSwarmLab(lab).catch(() => false)) ? swarm : undefined;
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
export async function selectRuntime(choice: RuntimeChoice, log: (line: string) => void, swarm: SwarmChoices = {}): Promise<Runtime> {
  if (choice === 'process') return new ProcessRuntime();
  const { probeDockerEngine } = await import('./docker/engine.js');
  const probe = await probeDockerEngine(choice === 'auto' ? AUTO_PROBE_TIMEOUT_MS : DOCKER_PROBE_TIMEOUT_MS);
  if (probe.ok && choice === 'swarm') {
    const runtime = await swarmRuntime(swarm);
    await runtime.membership();
    return runtime;
  }
  if (probe.ok) {
    if (choice === 'auto') log(`runtime: docker (engine at ${probe.endpoint})`);
    return dockerRuntime();
  }
  if (choice === 'docker' || choice === 'swarm') {
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
  if (kind === 'swarm') return swarmRuntime();
  return kind === 'process' ? new ProcessRuntime() : dockerRuntime();
}
