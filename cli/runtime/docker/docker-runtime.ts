import { containerUsage } from './container-usage.js';
import type { MemberUsage } from '../runtime.js';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { LabError, labFlag, withFix } from '../../errors.js';
import { isWaitTimeoutError, waitUntil } from '../../lab/wait-until.js';
import { assertPortFree } from '../ports.js';
import { bundlePath } from '../../paths.js';
import type {
  BalancerLaunch,
  DownResult,
  LabMember,
  LabRuntimeInfo,
  LogsOptions,
  MemberRole,
  Runtime,
  ServerLaunch,
} from '../runtime.js';
import { chown } from 'node:fs/promises';
import type { BalancerPlacement } from '../../balancers/balancer-settings.js';
import { ensureAppImage, type AppImage } from './app-image.js';
import { ensureBalancerImage, type BalancerImage } from './balancer-image.js';
import { OFFICIAL_NODE_IMAGES, ensureBaseImage, type BaseImage } from './base-image.js';
import {
  DEFAULT_BALANCER_LIMITS,
  DEFAULT_SERVER_LIMITS,
  balancerContainerSpec,
  externalBalancerContainerSpec,
  serverContainerSpec,
  type ContainerLimits,
} from './container-specs.js';
import type { ContainerCreateSpec, ContainerSummary, DockerClient } from './docker-client.js';
import { isLocalEndpoint, publishedAddress } from './docker-endpoint.js';
import { DockerodeClient } from './dockerode-client.js';
import { isEngineError } from './engine-error.js';

import { BALANCER_CONTAINER_ADMIN_PORT, BALANCER_CONTAINER_PORT, BALANCER_NAME, BALANCER_RUN_DIR_IN_CONTAINER, CONTAINER_UID, LABEL, containerName, labFilter, memberFilter, networkName, serverUrl } from './labels.js';
import { compareMembers, memberOf } from './member-state.js';
import { portInUseError } from './port-in-use.js';
import { TOKEN_ENV } from '../../lab/lab-token.js';

/** How long a removal another process started may take before `down` gives up on it. */
const CONTAINER_REMOVAL_WAIT_MS = 30_000;

/** What `stop` (and so `restart`) gives a member to exit after SIGTERM. */
const STOP_GRACE_SEC = 3;

export interface DockerRuntimeOptions {
  /** unix:///path, npipe://... or tcp://host:port; defaults to DOCKER_HOST, else the local socket. */
  readonly dockerHost?: string;
  /** Talk to the engine through this client instead of dockerode. */
  readonly client?: DockerClient;
  readonly serverLimits?: Partial<ContainerLimits>;
  readonly balancerLimits?: Partial<ContainerLimits>;
  /** Official Node images used as the base when present; the first is pulled. Default node:20-slim, node:20. */
  readonly officialImages?: readonly string[];
  /** How long a pull of the official image may take before lblab makes its own base. Default 5000. */
  readonly pullTimeoutMs?: number;
  /** The programs to ship; default dist/sample-server.js and dist/balancer.js of the lblab package. */
  readonly bundles?: { readonly server?: string; readonly balancer?: string };
  /** How long a start watches for an immediate exit. Default 500. */
  readonly exitWatchMs?: number;
  /** Repository prefix of the images lblab makes (default lblab); tests use their own, so they never touch a user's. */
  readonly imageRepository?: string;
}

/** The images a lab runs on. */
export interface LabImages {
  readonly base: BaseImage;
  readonly server: AppImage;
  readonly balancer: AppImage;
}

export interface EnsureImagesOptions {
  readonly rebuild?: boolean;
  readonly log?: (line: string) => void;
}

const EXIT_POLL_MS = 100;
const LAST_LOG_LINES = 20;
const NETWORK_REMOVE_ATTEMPTS = 5;

function noop(): void {}

/**
 * Runs labs as Docker containers on one user network per lab, with images
 * lblab builds itself (offline too). Everything it makes carries lblab.*
 * labels, and every question about a lab is answered from the engine.
 */
export class DockerRuntime implements Runtime {
  readonly kind = 'docker' as const;
  readonly client: DockerClient;
  readonly #serverLimits: ContainerLimits;
  readonly #balancerLimits: ContainerLimits;
  readonly #officialImages: readonly string[];
  readonly #pullTimeoutMs: number;
  readonly #bundles: { readonly server: string | undefined; readonly balancer: string | undefined };
  readonly #exitWatchMs: number;
  readonly #imageRepository: string | undefined;
  #images: Promise<LabImages> | undefined;
  readonly #balancerImages = new Map<string, Promise<BalancerImage>>();
  readonly #networks = new Map<string, Promise<string>>();

  constructor(options: DockerRuntimeOptions = {}) {
    this.client = options.client ?? new DockerodeClient(options.dockerHost === undefined ? {} : { dockerHost: options.dockerHost });
    this.#serverLimits = { ...DEFAULT_SERVER_LIMITS, ...options.serverLimits };
    this.#balancerLimits = { ...DEFAULT_BALANCER_LIMITS, ...options.balancerLimits };
    this.#officialImages = options.officialImages ?? OFFICIAL_NODE_IMAGES;
    this.#pullTimeoutMs = options.pullTimeoutMs ?? 5_000;
    this.#bundles = { server: options.bundles?.server, balancer: options.bundles?.balancer };
    this.#exitWatchMs = options.exitWatchMs ?? 500;
    this.#imageRepository = options.imageRepository;
  }

  async prepare(
    lab: LabRuntimeInfo,
    options: { readonly rebuild?: boolean; readonly log?: (line: string) => void; readonly balancerKind?: string } = {},
  ): Promise<void> {
    // Independent engine calls: made at the same time.
    const kind = options.balancerKind;
    await Promise.all([
      this.ensureImages(options),
      kind === 'haproxy' || kind === 'nginx' ? this.ensureBalancerImage(kind, options.log ?? noop) : undefined,
      this.#ensureNetwork(lab.lab),
    ]);
  }

  /** HAProxy's or nginx's image: official when present or pulled, else made from this host's package; kept for this runtime's life. */
  ensureBalancerImage(kind: 'haproxy' | 'nginx', log: (line: string) => void = noop): Promise<BalancerImage> {
    const known = this.#balancerImages.get(kind);
    if (known !== undefined) return known;
    const image = ensureBalancerImage({ client: this.client, kind, log, pullTimeoutMs: this.#pullTimeoutMs });
    this.#balancerImages.set(kind, image);
    image.catch(() => this.#balancerImages.delete(kind));
    return image;
  }

  balancerPlacement(_lab: LabRuntimeInfo, _runDir: string): BalancerPlacement {
    return {
      listenHost: '0.0.0.0',
      port: BALANCER_CONTAINER_PORT,
      adminPort: BALANCER_CONTAINER_ADMIN_PORT,
      runDir: BALANCER_RUN_DIR_IN_CONTAINER,
      // Docker's embedded DNS: servers are found by name, and a revived one may come back on another address.
      resolver: '127.0.0.11',
    };
  }

  async signal(lab: string, name: string, signal: NodeJS.Signals): Promise<void> {
    const container = await this.#member(lab, name);
    if (container.State !== 'running') throw notRunning(lab, name, 'signal');
    await this.client.killContainer(container.Id, signal);
  }

  /** The base and app images, made or reused; kept for this runtime's life unless `rebuild`. */
  ensureImages(options: EnsureImagesOptions = {}): Promise<LabImages> {
    if (this.#images !== undefined && options.rebuild !== true) return this.#images;
    const images = this.#makeImages(options.rebuild === true, options.log ?? noop);
    this.#images = images;
    images.catch(() => {
      if (this.#images === images) this.#images = undefined;
    });
    return images;
  }

  async #makeImages(rebuild: boolean, log: (line: string) => void): Promise<LabImages> {
    const base = await ensureBaseImage({
      client: this.client,
      log,
      officialImages: this.#officialImages,
      pullTimeoutMs: this.#pullTimeoutMs,
      ...(this.#imageRepository === undefined ? {} : { repository: this.#imageRepository }),
    });
    const repository = this.#imageRepository === undefined ? {} : { repository: this.#imageRepository };
    const [server, balancer] = await Promise.all([
      ensureAppImage({ client: this.client, kind: 'server', bundlePath: this.#bundles.server ?? bundlePath('sample-server.js'), base, rebuild, log, ...repository }),
      ensureAppImage({ client: this.client, kind: 'balancer', bundlePath: this.#bundles.balancer ?? bundlePath('balancer.js'), base, rebuild, log, ...repository }),
    ]);
    return { base, server, balancer };
  }

  #ensureNetwork(lab: string): Promise<string> {
    const known = this.#networks.get(lab);
    if (known !== undefined) return known;
    const created = (async () => {
      const name = networkName(lab);
      const existing = (await this.client.listNetworks(labFilter(lab))).find((network) => network.Name === name);
      if (existing !== undefined) return existing.Id;
      try {
        return await this.client.createNetwork({ Name: name, Labels: { [LABEL.lab]: lab } });
      } catch (error) {
        // Another lblab process made it in between.
        const raced = (await this.client.listNetworks(labFilter(lab))).find((network) => network.Name === name);
        if (raced !== undefined) return raced.Id;
        throw error;
      }
    })();
    this.#networks.set(lab, created);
    created.catch(() => this.#networks.delete(lab));
    return created;
  }

  serverUrlTemplate(): string {
    return serverUrl('{name}');
  }

  /** Where this machine reaches the lab's published ports: 127.0.0.1, or a remote engine's host. */
  publishedHost(): string {
    return publishedAddress(this.client.endpoint).host;
  }

  async startServer(lab: LabRuntimeInfo, server: ServerLaunch): Promise<LabMember> {
    await this.#clearLeftover(lab.lab, server.name);
    const id = await this.#create(lab.lab, (images) => serverContainerSpec(lab, server, images.server.ref, this.#serverLimits));
    await this.#start(id, lab.lab, server.name, 'server');
    return { name: server.name, role: 'server', state: 'running', upstreamUrl: serverUrl(server.name), id };
  }

  async startBalancer(lab: LabRuntimeInfo, balancer: BalancerLaunch): Promise<LabMember> {
    await this.#clearLeftover(lab.lab, BALANCER_NAME);
    if (isLocalEndpoint(this.client.endpoint)) {
      await assertPortFree(lab.port, '--port');
      await assertPortFree(lab.adminPort, '--admin-port');
    }
    const external = balancer.external;
    const { bindIp } = publishedAddress(this.client.endpoint);
    let id: string;
    if (external === undefined) {
      id = await this.#create(lab.lab, (images) => balancerContainerSpec(lab, balancer, images.balancer.ref, this.#balancerLimits, bindIp));
    } else {
      const image = await this.ensureBalancerImage(external.kind);
      const user = await runDirUser(external.runDir);
      await this.#ensureNetwork(lab.lab);
      id = await this.client.createContainer(
        externalBalancerContainerSpec(lab, { ...external, programPath: image.programPath, user }, image.ref, this.#balancerLimits, bindIp),
      );
    }
    await this.#start(id, lab.lab, BALANCER_NAME, 'balancer', lab);
    return { name: BALANCER_NAME, role: 'balancer', state: 'running', id };
  }

  async kill(lab: string, name: string): Promise<void> {
    const container = await this.#member(lab, name);
    if (container.State === 'running' || container.State === 'restarting' || container.State === 'paused') {
      await this.client.killContainer(container.Id, 'SIGKILL');
    }
  }

  async revive(lab: string, name: string): Promise<void> {
    const container = await this.#member(lab, name);
    if (container.State === 'running' || container.State === 'restarting') return;
    if (container.State === 'paused') {
      await this.client.unpauseContainer(container.Id);
      return;
    }
    const role: MemberRole = container.Labels[LABEL.role] === 'balancer' ? 'balancer' : 'server';
    const ports = role === 'balancer' ? { port: Number(container.Labels[LABEL.port]), adminPort: Number(container.Labels[LABEL.adminPort]) } : undefined;
    await this.#start(container.Id, lab, name, role, ports, { removeOnStartFailure: false });
  }

  async stop(lab: string, name: string): Promise<void> {
    const container = await this.#member(lab, name);
    if (container.State === 'paused') await this.client.unpauseContainer(container.Id);
    if (container.State === 'running' || container.State === 'restarting' || container.State === 'paused') {
      await this.client.stopContainer(container.Id, STOP_GRACE_SEC);
    }
  }

  async usage(lab: string): Promise<MemberUsage[]> {
    const containers = await this.client.listContainers(labFilter(lab));
    return Promise.all(
      containers.map(async (container) => {
        const member = memberOf(container);
        const base = { name: member.name, role: member.role, state: member.state };
        if (member.state !== 'running') return base;
        return { ...base, ...containerUsage(await this.client.containerStats(container.Id)) };
      }),
    );
  }

  async pause(lab: string, name: string): Promise<void> {
    const container = await this.#member(lab, name);
    if (container.State === 'paused') return;
    if (container.State !== 'running') throw notRunning(lab, name, 'pause');
    await this.client.pauseContainer(container.Id);
  }

  async unpause(lab: string, name: string): Promise<void> {
    const container = await this.#member(lab, name);
    if (container.State === 'running') return;
    if (container.State !== 'paused') throw notRunning(lab, name, 'unpause');
    await this.client.unpauseContainer(container.Id);
  }

  async remove(lab: string, name: string): Promise<void> {
    const container = await this.#member(lab, name);
    await this.#removeContainer(container.Id);
  }

  async list(lab: string): Promise<LabMember[]> {
    const containers = await this.client.listContainers(labFilter(lab));
    return containers.map(memberOf).sort(compareMembers);
  }

  async logs(lab: string, name: string, options: LogsOptions): Promise<void> {
    const container = await this.#member(lab, name);
    await this.client.containerLogs(container.Id, {
      follow: options.follow,
      tail: options.tail,
      stdout: options.out,
      stderr: options.out,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  async down(lab: string): Promise<DownResult> {
    const removedMembers: LabMember[] = [];
    const removedNetworks: string[] = [];
    const errors: Error[] = [];
    this.#networks.delete(lab);
    let containers: ContainerSummary[];
    try {
      containers = await this.client.listContainers(labFilter(lab));
    } catch (error) {
      // Nothing answers: the network list would fail the same way.
      return { removed: [], errors: [error as Error] };
    }
    await Promise.all(
      containers.map(async (container) => {
        const member = memberOf(container);
        const name = member.name;
        try {
          await this.#removeContainer(container.Id);
          removedMembers.push(member);
        } catch (error) {
          errors.push(new LabError('LBLAB_ENGINE', `could not remove ${name} (container ${containerName(lab, name)}): ${(error as Error).message}`, { cause: error }));
        }
      }),
    );
    try {
      for (const network of await this.client.listNetworks(labFilter(lab))) {
        try {
          await this.#removeNetwork(network.Id);
          removedNetworks.push(`network ${network.Name}`);
        } catch (error) {
          errors.push(new LabError('LBLAB_ENGINE', `could not remove network ${network.Name}: ${(error as Error).message}`, { cause: error }));
        }
      }
    } catch (error) {
      errors.push(error as Error);
    }
    return { removed: [...removedMembers.sort(compareMembers).map((member) => member.name), ...removedNetworks], errors };
  }

  /**
   * What the labels say of a lab's ports, app and balancer kind, for a lab whose record is lost (another folder, a crash),
   * and its admin token, from the balancer container's environment.
   */
  async labFromLabels(
    lab: string,
  ): Promise<{ port: number; adminPort: number; app: string | undefined; balancerKind?: string | undefined; token: string | undefined } | undefined> {
    const containers = await this.client.listContainers(labFilter(lab));
    const balancer = containers.find((c) => c.Labels[LABEL.role] === 'balancer');
    const port = Number(balancer?.Labels[LABEL.port]);
    const adminPort = Number(balancer?.Labels[LABEL.adminPort]);
    if (balancer === undefined || !Number.isInteger(port) || !Number.isInteger(adminPort)) return undefined;
    const env = (await this.client.inspectContainer(balancer.Id)).Config.Env ?? [];
    const token = env.find((entry) => entry.startsWith(`${TOKEN_ENV}=`))?.slice(TOKEN_ENV.length + 1);
    return {
      port,
      adminPort,
      app: containers.find((c) => c.Labels[LABEL.role] === 'server')?.Labels[LABEL.app],
      balancerKind: balancer.Labels[LABEL.balancerKind],
      token,
    };
  }

  /** What the engine still holds of a lab, one phrase each: `container lab-server1 (running)`, `network lblab-lab`. */
  async leftovers(lab: string): Promise<string[]> {
    const [containers, networks] = await Promise.all([this.client.listContainers(labFilter(lab)), this.client.listNetworks(labFilter(lab))]);
    return [
      ...containers.map(memberOf).sort(compareMembers).map((member) => `container ${containerName(lab, member.name)} (${member.state})`),
      ...networks.map((network) => `network ${network.Name}`),
    ];
  }

  async labs(): Promise<string[]> {
    const [containers, networks] = await Promise.all([
      this.client.listContainers({ label: [LABEL.lab] }),
      this.client.listNetworks({ label: [LABEL.lab] }),
    ]);
    const labs = new Set<string>();
    for (const labels of [...containers.map((c) => c.Labels), ...networks.map((n) => n.Labels ?? {})]) {
      const lab = labels[LABEL.lab];
      if (lab !== undefined && lab !== '') labs.add(lab);
    }
    return [...labs].sort();
  }

  /** Creates a container on the lab's images and network, making them again once if they vanished meanwhile. */
  async #create(lab: string, spec: (images: LabImages) => ContainerCreateSpec): Promise<string> {
    const images = await this.ensureImages();
    await this.#ensureNetwork(lab);
    try {
      return await this.client.createContainer(spec(images));
    } catch (error) {
      // 404: the image (pruned by another lblab run) or the network (a `down` from another shell) is gone.
      if (!isEngineError(error, 404)) throw error;
      this.#images = undefined;
      this.#networks.delete(lab);
      const again = await this.ensureImages();
      await this.#ensureNetwork(lab);
      return this.client.createContainer(spec(again));
    }
  }

  /** The container of a member, found by labels. */
  async #member(lab: string, name: string): Promise<ContainerSummary> {
    const [container] = await this.client.listContainers(memberFilter(lab, name));
    if (container !== undefined) return container;
    const members = (await this.client.listContainers(labFilter(lab))).map(memberOf).sort(compareMembers);
    if (members.length === 0) {
      throw new LabError('LBLAB_LAB_NOT_UP', withFix(`lab ${lab} has no containers in the Docker engine at ${this.client.endpoint}`, 'Start it', `lblab up${labFlag(lab)}`));
    }
    throw new LabError(
      'LBLAB_UNKNOWN_SERVER',
      withFix(`no member ${name} in lab ${lab}; members: ${members.map((member) => member.name).join(', ')}`, 'Their states', `lblab status${labFlag(lab)}`),
    );
  }

  /** A stopped leftover of the same member is replaced; a live one is an error. */
  async #clearLeftover(lab: string, name: string): Promise<void> {
    for (const container of await this.client.listContainers(memberFilter(lab, name))) {
      if (container.State === 'running' || container.State === 'paused' || container.State === 'restarting') {
        throw new LabError(
          'LBLAB_BAD_INPUT',
          withFix(`${name} already runs in lab ${lab} (container ${containerName(lab, name)})`, 'Remove it first', `lblab rm ${name}${labFlag(lab)}`),
        );
      }
      await this.#removeContainer(container.Id);
    }
  }

  async #removeContainer(id: string): Promise<void> {
    try {
      await this.client.removeContainer(id, { force: true });
    } catch (error) {
      // Gone already (another `down`, or --rm elsewhere): that is what was asked.
      if (isEngineError(error, 404)) return;
      // Another removal (an interrupted run's teardown) is under way: wait for it to finish.
      if (!(isEngineError(error, 409) && /already in progress/.test((error as Error).message))) throw error;
      await waitUntil(
        () =>
          this.client.inspectContainer(id).then(
            () => false,
            (inspectError: unknown) => {
              if (isEngineError(inspectError, 404)) return true;
              throw inspectError;
            },
          ),
        { timeoutMs: CONTAINER_REMOVAL_WAIT_MS, intervalMs: 100, what: `the removal of container ${id.slice(0, 12)} already in progress` },
      );
    }
  }

  async #removeNetwork(id: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.removeNetwork(id);
        return;
      } catch (error) {
        if (isEngineError(error, 404)) return;
        // Endpoints of just-removed containers can take a moment to be released.
        const busy = isEngineError(error) && /active endpoints/.test(error.message);
        if (!busy || attempt >= NETWORK_REMOVE_ATTEMPTS) throw error;
        await delay(200 * attempt);
      }
    }
  }

  /**
   * Starts a container and watches it for exitWatchMs: a program that dies at
   * once (bad config, missing bundle) fails here with its last log lines.
   */
  async #start(
    id: string,
    lab: string,
    name: string,
    role: MemberRole,
    ports?: { readonly port: number; readonly adminPort: number },
    options: { readonly removeOnStartFailure: boolean } = { removeOnStartFailure: true },
  ): Promise<void> {
    try {
      await this.client.startContainer(id);
    } catch (error) {
      const portError = ports !== undefined && isEngineError(error) ? portInUseError(error.message, ports, error) : undefined;
      if (options.removeOnStartFailure) await this.client.removeContainer(id, { force: true }).catch(noop);
      throw portError ?? error;
    }
    // Running (or paused) all through the watch: the wait times out, which is the good outcome here.
    const exited = await waitUntil(
      async () => {
        const state = (await this.client.inspectContainer(id)).State;
        return !state.Running && !state.Paused ? state : undefined;
      },
      { timeoutMs: this.#exitWatchMs, intervalMs: EXIT_POLL_MS, what: `${role} ${name} to exit`, isFatal: () => true },
    ).catch((error: unknown) => {
      if (isWaitTimeoutError(error)) return undefined;
      throw error;
    });
    if (exited === undefined) return;
    const lines = await this.#lastLogLines(id);
    const oom = exited.OOMKilled ? ' (out of memory)' : '';
    throw new LabError(
      'LBLAB_NOT_READY',
      `${role} ${name} (container ${containerName(lab, name)}) exited with code ${exited.ExitCode}${oom} right after it started; ` +
        (lines.length === 0 ? 'it printed nothing' : `last log lines:\n  ${lines.join('\n  ')}`),
    );
  }

  async #lastLogLines(id: string): Promise<string[]> {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        callback();
      },
    });
    await this.client.containerLogs(id, { follow: false, tail: LAST_LOG_LINES, stdout: sink, stderr: sink }).catch(noop);
    return Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '');
  }
}

/**
 * The user an external balancer runs as, so it can write its socket and pid
 * file into the mounted run folder and the CLI can use them: this user, or
 * the image's non-root user (given the folder) when lblab runs as root.
 */
async function runDirUser(runDir: string): Promise<string> {
  const uid = process.getuid?.() ?? CONTAINER_UID;
  const gid = process.getgid?.() ?? CONTAINER_UID;
  if (uid !== 0) return `${uid}:${gid}`;
  await chown(runDir, CONTAINER_UID, CONTAINER_UID);
  return `${CONTAINER_UID}:${CONTAINER_UID}`;
}

function notRunning(lab: string, name: string, action: 'pause' | 'unpause' | 'signal'): LabError {
  return new LabError('LBLAB_BAD_INPUT', withFix(`cannot ${action} ${name} in lab ${lab}: it is stopped`, 'Revive it first', `lblab revive ${name}${labFlag(lab)}`));
}

export function createDockerRuntime(options: DockerRuntimeOptions = {}): DockerRuntime {
  return new DockerRuntime(options);
}
