import { availableParallelism } from 'node:os';

import { DEFAULT_CONFIG, type BalancerConfig } from '../../../balancer/config/config.js';
import { workerCount } from '../../../balancer/config/workers-parse.js';
import { externalBalancerArgs } from '../../balancers/host-program.js';
import type { BalancerLaunch, FaultSpec, LabRuntimeInfo, ServerLaunch } from '../runtime.js';
import type { ContainerCreateSpec } from './docker-client.js';
import type { PublishedAddress } from './docker-endpoint.js';
import {
  BALANCER_CONTAINER_ADMIN_PORT,
  BALANCER_CONTAINER_PORT,
  BALANCER_NAME,
  BALANCER_RUN_DIR_IN_CONTAINER,
  CONTAINER_USER,
  LABEL,
  SERVER_CONTAINER_PORT,
  containerName,
  networkName,
  serverUrl,
} from './labels.js';
import { TOKEN_ENV } from '../../lab/lab-token.js';

/** Limits and hardening of lab containers. */
export interface ContainerLimits {
  readonly memoryBytes: number;
  /** CPU share in billionths of a CPU (1e9 = one CPU). */
  readonly nanoCpus: number;
  readonly pidsLimit: number;
  readonly readonlyRootfs: boolean;
}

export const MIB = 1024 * 1024;

export const DEFAULT_SERVER_LIMITS: ContainerLimits = { memoryBytes: 256 * MIB, nanoCpus: 0.5e9, pidsLimit: 128, readonlyRootfs: true };
export const DEFAULT_BALANCER_LIMITS: ContainerLimits = { memoryBytes: 512 * MIB, nanoCpus: 1e9, pidsLimit: 256, readonlyRootfs: true };

/**
 * lblab's balancer with several workers gets a CPU per worker (at most the
 * machine's cores, which Docker refuses to exceed) and memory for each process.
 */
export function balancerLimits(config: BalancerConfig, limits: ContainerLimits, cores: number = availableParallelism()): ContainerLimits {
  const workers = workerCount(config.workers, cores);
  if (workers <= 1) return limits;
  return {
    ...limits,
    nanoCpus: Math.max(limits.nanoCpus, Math.min(workers, cores) * 1e9),
    memoryBytes: Math.max(limits.memoryBytes, (workers + 1) * 128 * MIB),
  };
}

/** The sample server's fault flags as env variables (see sample-server/options.ts). */
export function faultEnv(fault: FaultSpec | undefined): string[] {
  const env: string[] = [];
  if (fault?.errorRate !== undefined) env.push(`LBLAB_FAULT_ERROR_RATE=${fault.errorRate}`);
  if (fault?.latencyMs !== undefined) {
    env.push(`LBLAB_FAULT_LATENCY_MS=${typeof fault.latencyMs === 'number' ? fault.latencyMs : fault.latencyMs.join('-')}`);
  }
  if (fault?.hang === true) env.push('LBLAB_FAULT_HANG=1');
  if (fault?.concurrency !== undefined) env.push(`LBLAB_CONCURRENCY=${fault.concurrency}`);
  return env;
}

/** The lab's admin token, in the environment (never the command line, which `ps` shows to everyone). */
export function tokenEnv(lab: LabRuntimeInfo): string[] {
  return lab.token === undefined ? [] : [`${TOKEN_ENV}=${lab.token}`];
}

function hostConfig(lab: string, limits: ContainerLimits) {
  return {
    NetworkMode: networkName(lab),
    Memory: limits.memoryBytes,
    // No swap on top of the memory limit.
    MemorySwap: limits.memoryBytes,
    NanoCpus: limits.nanoCpus,
    PidsLimit: limits.pidsLimit,
    ReadonlyRootfs: limits.readonlyRootfs,
    Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=16m' },
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    RestartPolicy: { Name: 'no' as const },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '2' } },
  };
}

function networking(lab: string, alias: string) {
  return { EndpointsConfig: { [networkName(lab)]: { Aliases: [alias] } } };
}

/** A sample server's environment in a container or a swarm task: its name, port, app, username, faults and the lab's token. */
export function serverEnv(lab: LabRuntimeInfo, server: ServerLaunch): string[] {
  return [
    `LBLAB_SERVER_NAME=${server.name}`,
    `LBLAB_PORT=${SERVER_CONTAINER_PORT}`,
    'LBLAB_HOST=0.0.0.0',
    `LBLAB_APP=${server.app}`,
    `LBLAB_USERNAME=${server.username ?? server.name}`,
    ...faultEnv(server.fault),
    ...tokenEnv(lab),
  ];
}

/** The labels that make a container or a swarm service a server of the lab, found by status and down from the engine alone. */
export function serverLabels(lab: LabRuntimeInfo, server: ServerLaunch): Record<string, string> {
  return {
    [LABEL.lab]: lab.lab,
    [LABEL.role]: 'server',
    [LABEL.server]: server.name,
    [LABEL.app]: server.app,
    [LABEL.port]: String(SERVER_CONTAINER_PORT),
    [LABEL.upstreamUrl]: serverUrl(server.name),
  };
}

export function serverContainerSpec(lab: LabRuntimeInfo, server: ServerLaunch, image: string, limits: ContainerLimits): ContainerCreateSpec {
  return {
    name: containerName(lab.lab, server.name),
    Image: image,
    Hostname: server.name,
    User: CONTAINER_USER,
    Env: serverEnv(lab, server),
    Labels: serverLabels(lab, server),
    StopTimeout: 5,
    HostConfig: hostConfig(lab.lab, limits),
    NetworkingConfig: networking(lab.lab, server.name),
  };
}

/** The balancer's config as it runs in its container: all interfaces, fixed ports, servers reached by name. */
export function containerBalancerConfig(config: BalancerConfig): BalancerConfig {
  return {
    ...config,
    host: '0.0.0.0',
    port: BALANCER_CONTAINER_PORT,
    adminHost: '0.0.0.0',
    adminPort: BALANCER_CONTAINER_ADMIN_PORT,
    serverUrlTemplate: config.serverUrlTemplate ?? serverUrl('{name}'),
  };
}

/**
 * HAProxy or nginx in place of lblab's balancer: the same ports and labels,
 * the program as entrypoint, and the lab's balancer folder (configuration,
 * runtime socket, pid file) mounted at BALANCER_RUN_DIR_IN_CONTAINER.
 */
export function externalBalancerContainerSpec(
  lab: LabRuntimeInfo,
  launch: { readonly kind: 'haproxy' | 'nginx'; readonly runDir: string; readonly programPath: string; readonly user: string },
  image: string,
  limits: ContainerLimits,
  bindIp: PublishedAddress['bindIp'] = '127.0.0.1',
): ContainerCreateSpec {
  const spec = balancerContainerSpec(lab, { config: DEFAULT_CONFIG }, image, limits, bindIp);
  return {
    ...spec,
    User: launch.user,
    Env: [],
    Entrypoint: [launch.programPath],
    Cmd: externalBalancerArgs(launch.kind, BALANCER_RUN_DIR_IN_CONTAINER),
    Labels: { ...spec.Labels, [LABEL.balancerKind]: launch.kind },
    HostConfig: { ...spec.HostConfig, Binds: [`${launch.runDir}:${BALANCER_RUN_DIR_IN_CONTAINER}`] },
  };
}

/** `bindIp`: where the engine publishes the ports (see publishedAddress: 127.0.0.1 unless the engine is on another machine). */
export function balancerContainerSpec(
  lab: LabRuntimeInfo,
  balancer: BalancerLaunch,
  image: string,
  limits: ContainerLimits,
  bindIp: PublishedAddress['bindIp'] = '127.0.0.1',
): ContainerCreateSpec {
  const data = `${BALANCER_CONTAINER_PORT}/tcp`;
  const admin = `${BALANCER_CONTAINER_ADMIN_PORT}/tcp`;
  return {
    name: containerName(lab.lab, BALANCER_NAME),
    Image: image,
    Hostname: BALANCER_NAME,
    User: CONTAINER_USER,
    Env: [`LBLAB_BALANCER_CONFIG=${JSON.stringify(containerBalancerConfig(balancer.config))}`, ...tokenEnv(lab)],
    Labels: {
      [LABEL.lab]: lab.lab,
      [LABEL.role]: 'balancer',
      [LABEL.server]: BALANCER_NAME,
      [LABEL.port]: String(lab.port),
      [LABEL.adminPort]: String(lab.adminPort),
      [LABEL.balancerKind]: 'lblab',
    },
    ExposedPorts: { [data]: {}, [admin]: {} },
    StopTimeout: 5,
    HostConfig: {
      ...hostConfig(lab.lab, balancerLimits(balancer.config, limits)),
      // 127.0.0.1 on a local engine: the lab is not reachable from other machines.
      PortBindings: {
        [data]: [{ HostIp: bindIp, HostPort: String(lab.port) }],
        [admin]: [{ HostIp: bindIp, HostPort: String(lab.adminPort) }],
      },
    },
    NetworkingConfig: networking(lab.lab, BALANCER_NAME),
  };
}
