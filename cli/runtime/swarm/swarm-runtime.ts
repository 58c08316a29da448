import { LabError } from '../../errors.js';
import { waitUntil } from '../../lab/wait-until.js';
import type { BalancerPlacement } from '../../balancers/balancer-settings.js';
import type {
  BalancerLaunch,
  DownResult,
  LabMember,
  LabRuntimeInfo,
  LogsOptions,
  MemberUsage,
  Runtime,
  ServerLaunch,
} from '../runtime.js';
import { DEFAULT_SERVER_LIMITS, type ContainerLimits } from '../docker/container-specs.js';
import type { ContainerSummary, NetworkSummary, ServiceSummary, SwarmClient, SwarmMembership, TaskSummary } from '../docker/docker-client.js';
import { DockerRuntime } from '../docker/docker-runtime.js';
import { DockerodeClient } from '../docker/dockerode-client.js';
import { isEngineError } from '../docker/engine-error.js';
import { BALANCER_NAME, IMAGE_REPOSITORY, LABEL, labFilter, memberFilter, networkName, serverUrl } from '../docker/labels.js';
import { compareMembers } from '../docker/member-state.js';
import { planImages } from './image-plan.js';
import { currentTask, memberOfService } from './service-member.js';
import { serverServiceSpec, withReplicas } from './service-spec.js';
import { SWARM_INIT_COMMAND, SWARM_LABEL, TASK_ID_LABEL, serviceName, type SwarmPlacement } from './swarm-labels.js';

export interface SwarmRuntimeOptions {
  /** Talk to the engine through this client instead of dockerode (tests). */
  readonly client?: SwarmClient;
  /** For a new lab; an existing lab's comes from its network's labels. Default spread. */
  readonly placement?: SwarmPlacement;
  /** HOST:PORT every node pulls the images from; needed when servers may run on another node. */
  readonly registry?: string;
  readonly serverLimits?: Partial<ContainerLimits>;
  /** Repository prefix of the images lblab makes (tests use their own). */
  readonly imageRepository?: string;
  /** How long a new task may take to run. Default 60000. */
  readonly taskTimeoutMs?: number;
}

/** How a lab's servers are made, as its network records it. */
interface LabSettings {
  readonly placement: SwarmPlacement;
  readonly registry: string | undefined;
}

const TASK_POLL_MS = 100;
const TASK_GONE_TIMEOUT_MS = 30_000;
const PUSH_TIMEOUT_MS = 300_000;

function noop(): void {}

/**
 * Runs a lab on Docker Swarm: each server a one-replica service on the lab's
 * attachable overlay network, the balancer a container on this (manager)
 * node attached to it, publishing on 127.0.0.1 only (not through the ingress
 * mesh, which publishes on every interface). Images and the balancer are the
 * docker runtime's.
 */
export class SwarmRuntime implements Runtime {
  readonly kind = 'swarm' as const;
  readonly client: SwarmClient;
  /** The balancer container, the images and the labels-only lookups. */
  readonly docker: DockerRuntime;
  readonly #placement: SwarmPlacement;
  readonly #registry: string | undefined;
  readonly #serverLimits: ContainerLimits;
  readonly #taskTimeoutMs: number;
  readonly #imageRepository: string;
  #membership: Promise<SwarmMembership> | undefined;
  readonly #serverImages = new Map<string, Promise<string>>();

  constructor(options: SwarmRuntimeOptions = {}) {
    this.client = options.client ?? new DockerodeClient();
    this.docker = new DockerRuntime({ client: this.client, ...(options.imageRepository === undefined ? {} : { imageRepository: options.imageRepository }) });
    this.#placement = options.placement ?? 'spread';
    this.#registry = options.registry;
    this.#serverLimits = { ...DEFAULT_SERVER_LIMITS, ...options.serverLimits };
    this.#taskTimeoutMs = options.taskTimeoutMs ?? 60_000;
    this.#imageRepository = options.imageRepository ?? IMAGE_REPOSITORY;
  }

  /** This engine's swarm membership; a clear error unless it is a manager. */
  membership(): Promise<SwarmMembership> {
    this.#membership ??= this.client.swarmMembership().then((membership) => {
      if (membership.LocalNodeState === 'active' && membership.ControlAvailable) return membership;
      const what = membership.LocalNodeState === 'active' ? 'is a swarm worker, not a manager' : `is not in a swarm (state ${membership.LocalNodeState})`;
      throw new LabError(
        'LBLAB_NOT_SWARM_MANAGER',
        `--runtime swarm needs a swarm manager, but the Docker engine at ${this.client.endpoint} ${what}; ` +
          `make it one with \`${SWARM_INIT_COMMAND}\` (or run lblab against a manager), or use --runtime docker`,
      );
    });
    this.#membership.catch(() => (this.#membership = undefined));
    return this.#membership;
  }

  async prepare(
    lab: LabRuntimeInfo,
    options: { readonly rebuild?: boolean; readonly log?: (line: string) => void; readonly balancerKind?: string } = {},
  ): Promise<void> {
    const membership = await this.membership();
    const log = options.log ?? noop;
    // Fails before anything is built or started when other nodes could not run the servers.
    planImages({
      nodes: await this.client.listNodes(),
      localNodeId: membership.NodeID,
      placement: this.#placement,
      images: [`${this.#imageRepository}/server`],
      ...this.#registryOption(),
    });
    await this.docker.ensureImages({ rebuild: options.rebuild === true, log });
    if (options.balancerKind === 'haproxy' || options.balancerKind === 'nginx') await this.docker.ensureBalancerImage(options.balancerKind, log);
    await this.#ensureNetwork(lab.lab);
    await this.#serverImage(lab.lab, log);
  }

  #registryOption(): { registry?: string } {
    return this.#registry === undefined ? {} : { registry: this.#registry };
  }

  async #ensureNetwork(lab: string): Promise<NetworkSummary> {
    const name = networkName(lab);
    const existing = await this.#network(lab);
    if (existing !== undefined) {
      if (existing.Labels?.[SWARM_LABEL.runtime] !== 'swarm') {
        throw new LabError('LBLAB_BAD_INPUT', `lab ${lab} already has a network ${name} of the docker runtime; bring it down first (lblab down --lab ${lab})`);
      }
      return existing;
    }
    const labels = {
      [LABEL.lab]: lab,
      [SWARM_LABEL.runtime]: 'swarm',
      [SWARM_LABEL.placement]: this.#placement,
      ...(this.#registry === undefined ? {} : { [SWARM_LABEL.registry]: this.#registry }),
    };
    const id = await this.client.createOverlayNetwork({ Name: name, Labels: labels, Driver: 'overlay', Attachable: true });
    return { Id: id, Name: name, Labels: labels };
  }

  async #network(lab: string): Promise<NetworkSummary | undefined> {
    return (await this.client.listNetworks(labFilter(lab))).find((network) => network.Name === networkName(lab));
  }

  async #settings(lab: string): Promise<LabSettings> {
    const labels = (await this.#network(lab))?.Labels ?? {};
    return {
      placement: labels[SWARM_LABEL.placement] === 'local' ? 'local' : this.#placement,
      registry: labels[SWARM_LABEL.registry] ?? this.#registry,
    };
  }

  /** The image ref the lab's services run: the local image, or its copy pushed to the lab's registry. */
  #serverImage(lab: string, log: (line: string) => void = noop): Promise<string> {
    const known = this.#serverImages.get(lab);
    if (known !== undefined) return known;
    const made = (async () => {
      const images = await this.docker.ensureImages({ log });
      const { registry } = await this.#settings(lab);
      if (registry === undefined) return images.server.ref;
      const remote = `${registry.replace(/\/+$/, '')}/${images.server.ref}`;
      log(`swarm: pushing ${images.server.ref} to ${remote}`);
      await this.client.tagImage(images.server.ref, remote);
      await this.client.pushImage(remote, AbortSignal.timeout(PUSH_TIMEOUT_MS));
      return remote;
    })();
    this.#serverImages.set(lab, made);
    made.catch(() => this.#serverImages.delete(lab));
    return made;
  }

  serverUrlTemplate(): string {
    return serverUrl('{name}');
  }

  balancerPlacement(lab: LabRuntimeInfo, runDir: string): BalancerPlacement {
    return this.docker.balancerPlacement(lab, runDir);
  }

  async startServer(lab: LabRuntimeInfo, server: ServerLaunch): Promise<LabMember> {
    const membership = await this.membership();
    for (const leftover of await this.client.listServices(memberFilter(lab.lab, server.name))) {
      const member = await this.#member(leftover);
      if (member.state !== 'stopped') {
        throw new LabError('LBLAB_BAD_INPUT', `${server.name} already runs in lab ${lab.lab} (service ${serviceName(lab.lab, server.name)}); remove it first`);
      }
      await this.#removeService(leftover.ID);
    }
    await this.#ensureNetwork(lab.lab);
    const settings = await this.#settings(lab.lab);
    const constraints = settings.placement === 'local' ? [`node.id==${membership.NodeID}`] : [];
    const spec = serverServiceSpec(lab, server, await this.#serverImage(lab.lab), this.#serverLimits, constraints);
    const id = await this.client.createService(spec);
    await this.#untilTaskRuns(id, lab.lab, server.name);
    return { name: server.name, role: 'server', state: 'running', upstreamUrl: serverUrl(server.name), id };
  }

  /** The balancer is a container of the docker runtime on this engine: its ports are where that runtime publishes them. */
  publishedHost(): string {
    return this.docker.publishedHost();
  }

  async startBalancer(lab: LabRuntimeInfo, balancer: BalancerLaunch): Promise<LabMember> {
    await this.#ensureNetwork(lab.lab);
    return this.docker.startBalancer(lab, balancer);
  }

  async signal(lab: string, name: string, signal: NodeJS.Signals): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.signal(lab, name, signal);
    const container = await this.#localContainer(lab, name, 'signal');
    await this.client.killContainer(container.Id, signal);
  }

  /**
   * Scales the service to 0: its task gets SIGKILL (the service's stop signal, no grace). A task on this node
   * gets the SIGKILL from here first, at once, as on Docker; the orchestrator's own stop comes about a second later.
   */
  async kill(lab: string, name: string): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.kill(lab, name);
    const service = await this.#service(lab, name);
    if (service.Spec.Mode.Replicated.Replicas === 0) return;
    const container = await this.#taskContainer(service);
    if (container?.State === 'running' || container?.State === 'paused') {
      await this.client.killContainer(container.Id, 'SIGKILL').catch((error: unknown) => {
        // Gone or stopped meanwhile: the scale to 0 below is what counts.
        if (!isEngineError(error, 404) && !isEngineError(error, 409)) throw error;
      });
    }
    await this.client.updateService(service.ID, service.Version.Index, withReplicas(service.Spec, 0));
    await this.#untilNoTaskRuns(service.ID, name);
  }

  /** Scales the service back to 1 (same service: same name, same DNS alias); a task that died alone is replaced. */
  async revive(lab: string, name: string): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.revive(lab, name);
    const service = await this.#service(lab, name);
    const member = await this.#member(service);
    if (member.state === 'paused') return this.unpause(lab, name);
    if (member.state === 'running') return;
    const spec = service.Spec.Mode.Replicated.Replicas === 0
      ? withReplicas(service.Spec, 1)
      : { ...service.Spec, TaskTemplate: { ...service.Spec.TaskTemplate, ForceUpdate: (service.Spec.TaskTemplate.ForceUpdate ?? 0) + 1 } };
    await this.client.updateService(service.ID, service.Version.Index, spec);
    await this.#untilTaskRuns(service.ID, lab, name);
  }

  /** SIGTERM with the docker runtime's grace when the task runs on this node, then the scale to 0; elsewhere the scale alone (SIGKILL). */
  async stop(lab: string, name: string): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.stop(lab, name);
    const service = await this.#service(lab, name);
    const container = await this.#taskContainer(service);
    if (container !== undefined) {
      if (container.State === 'paused') await this.client.unpauseContainer(container.Id);
      if (container.State === 'running' || container.State === 'paused') await this.client.stopContainer(container.Id, 3);
    }
    await this.kill(lab, name);
  }

  /** Members on this node only (the engine's stats API sees its own containers). */
  usage(lab: string): Promise<MemberUsage[]> {
    return this.docker.usage(lab);
  }

  async pause(lab: string, name: string): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.pause(lab, name);
    const container = await this.#localContainer(lab, name, 'pause');
    if (container.State !== 'paused') await this.client.pauseContainer(container.Id);
  }

  async unpause(lab: string, name: string): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.unpause(lab, name);
    const container = await this.#localContainer(lab, name, 'unpause');
    if (container.State === 'paused') await this.client.unpauseContainer(container.Id);
  }

  async remove(lab: string, name: string): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.remove(lab, name);
    const service = await this.#service(lab, name);
    await this.#removeService(service.ID);
    await this.#untilTaskContainersGone(lab, [service.ID]);
  }

  async list(lab: string): Promise<LabMember[]> {
    const services = await this.client.listServices(labFilter(lab));
    const [nodes, containers] = await Promise.all([
      services.length === 0 ? [] : this.client.listNodes(),
      this.client.listContainers(labFilter(lab)),
    ]);
    const servers = await Promise.all(
      services.map(async (service) => memberOfService({ service, tasks: await this.client.listTasks(service.ID), nodes, localContainers: containers })),
    );
    const balancer = (await this.docker.list(lab)).filter((member) => member.role === 'balancer');
    return [...servers, ...balancer].sort(compareMembers);
  }

  async logs(lab: string, name: string, options: LogsOptions): Promise<void> {
    if (name === BALANCER_NAME) return this.docker.logs(lab, name, options);
    const service = await this.#service(lab, name);
    await this.client.serviceLogs(service.ID, {
      follow: options.follow,
      tail: options.tail,
      stdout: options.out,
      stderr: options.out,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** Services first (their tasks leave the network), then the balancer, other containers and the network, by the docker runtime. */
  async down(lab: string): Promise<DownResult> {
    const removed: string[] = [];
    const errors: Error[] = [];
    let services: ServiceSummary[] = [];
    try {
      services = await this.client.listServices(labFilter(lab));
    } catch (error) {
      // Not a manager (any more): the containers and network may still be there.
      if (!isEngineError(error, 503)) return { removed: [], errors: [error as Error] };
    }
    await Promise.all(
      services.map(async (service) => {
        try {
          await this.#removeService(service.ID);
          removed.push(service.Spec.Labels[LABEL.server] ?? service.Spec.Name);
        } catch (error) {
          errors.push(new LabError('LBLAB_ENGINE', `could not remove service ${service.Spec.Name}: ${(error as Error).message}`, { cause: error }));
        }
      }),
    );
    await this.#untilTaskContainersGone(lab, services.map((service) => service.ID)).catch((error: Error) => errors.push(error));
    this.#serverImages.delete(lab);
    const rest = await this.docker.down(lab);
    const members = [...removed.map((name) => ({ name, role: 'server' as const, state: 'stopped' as const }))].sort(compareMembers).map((m) => m.name);
    return { removed: [...members, ...rest.removed], errors: [...errors, ...rest.errors] };
  }

  async labs(): Promise<string[]> {
    const [fromDocker, services] = await Promise.all([this.docker.labs(), this.client.listServices({ label: [LABEL.lab] }).catch(() => [])]);
    const labs = new Set(fromDocker);
    for (const service of services) {
      const lab = service.Spec.Labels[LABEL.lab];
      if (lab !== undefined && lab !== '') labs.add(lab);
    }
    return [...labs].sort();
  }

  /** Whether the engine holds a swarm lab of this name (its network or services), for a lab whose record is lost. */
  async isSwarmLab(lab: string): Promise<boolean> {
    if ((await this.#network(lab))?.Labels?.[SWARM_LABEL.runtime] === 'swarm') return true;
    return (await this.client.listServices(labFilter(lab)).catch(() => [])).length > 0;
  }

  async #member(service: ServiceSummary): Promise<LabMember> {
    const lab = service.Spec.Labels[LABEL.lab] ?? '';
    const [tasks, containers] = await Promise.all([this.client.listTasks(service.ID), this.client.listContainers(labFilter(lab))]);
    return memberOfService({ service, tasks, nodes: [], localContainers: containers });
  }

  async #service(lab: string, name: string): Promise<ServiceSummary> {
    const [service] = await this.client.listServices(memberFilter(lab, name));
    if (service !== undefined) return service;
    const members = await this.list(lab);
    if (members.length === 0) throw new LabError('LBLAB_LAB_NOT_UP', `lab ${lab} has no services in the swarm at ${this.client.endpoint}`);
    throw new LabError('LBLAB_UNKNOWN_SERVER', `no member ${name} in lab ${lab}; members: ${members.map((member) => member.name).join(', ')}`);
  }

  /** The container of the service's current task, when that task runs on this node. */
  async #taskContainer(service: ServiceSummary): Promise<ContainerSummary | undefined> {
    const task = currentTask(await this.client.listTasks(service.ID));
    if (task === undefined) return undefined;
    const [container] = await this.client.listContainers({ label: [`${TASK_ID_LABEL}=${task.ID}`] });
    return container;
  }

  /** Pause, unpause and signals go to a container, which the engine reaches only on its own node. */
  async #localContainer(lab: string, name: string, action: 'pause' | 'unpause' | 'signal'): Promise<ContainerSummary> {
    const service = await this.#service(lab, name);
    const member = await this.#member(service);
    if (member.state === 'stopped') throw new LabError('LBLAB_BAD_INPUT', `cannot ${action} ${name} in lab ${lab}: it is stopped; revive it first`);
    const container = await this.#taskContainer(service);
    if (container !== undefined) return container;
    const node = (await this.list(lab)).find((m) => m.name === name)?.node ?? 'another node';
    throw new LabError(
      'LBLAB_UNSUPPORTED',
      `${action} is not supported on swarm for servers on remote nodes: ${name} runs on ${node}, and Swarm's API has no ${action} for a task ` +
        `(run lblab against that node's engine, or use kill/revive)`,
    );
  }

  async #removeService(id: string): Promise<void> {
    try {
      await this.client.removeService(id);
    } catch (error) {
      if (!isEngineError(error, 404)) throw error;
    }
  }

  async #untilTaskRuns(serviceId: string, lab: string, name: string): Promise<void> {
    await waitUntil(
      async () => {
        const task = currentTask(await this.client.listTasks(serviceId));
        const state = task?.Status.State;
        if (state === 'running') return true;
        if (state === 'failed' || state === 'rejected' || state === 'complete' || state === 'shutdown' || state === 'orphaned') {
          throw new LabError(
            'LBLAB_NOT_READY',
            `server ${name} (service ${serviceName(lab, name)}) did not start: task ${state}: ${task?.Status.Err ?? task?.Status.Message ?? 'no reason given'}`,
          );
        }
        return false;
      },
      { timeoutMs: this.#taskTimeoutMs, intervalMs: TASK_POLL_MS, what: `the task of server ${name} to run`, isFatal: (error) => error instanceof LabError && error.code === 'LBLAB_NOT_READY' },
    );
  }

  async #untilNoTaskRuns(serviceId: string, name: string): Promise<void> {
    const running = (task: TaskSummary): boolean => task.Status.State === 'running' || task.Status.State === 'starting';
    await waitUntil(async () => !(await this.client.listTasks(serviceId)).some(running), {
      timeoutMs: TASK_GONE_TIMEOUT_MS,
      intervalMs: TASK_POLL_MS,
      what: `the task of server ${name} to stop`,
    });
  }

  /** A removed service's task containers leave the network a moment later; the network can go only then. */
  async #untilTaskContainersGone(lab: string, serviceIds: readonly string[]): Promise<void> {
    if (serviceIds.length === 0) return;
    const ids = new Set(serviceIds);
    await waitUntil(
      async () => !(await this.client.listContainers(labFilter(lab))).some((c) => ids.has(c.Labels['com.docker.swarm.service.id'] ?? '')),
      { timeoutMs: TASK_GONE_TIMEOUT_MS, intervalMs: TASK_POLL_MS, what: `the containers of the removed services of lab ${lab} to go` },
    );
  }
}

export function createSwarmRuntime(options: SwarmRuntimeOptions = {}): SwarmRuntime {
  return new SwarmRuntime(options);
}
