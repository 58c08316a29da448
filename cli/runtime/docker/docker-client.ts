import type { ContainerStatsSample } from './container-usage.js';
import type { Readable } from 'node:stream';

/*
 * The narrow view of the Docker Engine API that lblab uses. Field names are
 * the engine's own (PascalCase), so an implementation can pass the JSON on.
 * `dockerode-client.ts` implements it; nothing else imports dockerode.
 * Every method rejects with a LabError: LBLAB_NO_ENGINE when nothing
 * answers, an EngineError (LBLAB_ENGINE with the HTTP status) otherwise.
 */

export type Labels = Readonly<Record<string, string>>;

/** `docker ps -a` filters; only labels are used (`key` or `key=value`). */
export interface LabelFilter {
  readonly label: readonly string[];
}

export interface ContainerSummary {
  readonly Id: string;
  readonly Names: readonly string[];
  readonly Image: string;
  /** created | running | paused | restarting | removing | exited | dead */
  readonly State: string;
  /** Human text, e.g. `Exited (137) 3 seconds ago`. */
  readonly Status: string;
  readonly Labels: Labels;
}

export interface PortBinding {
  readonly HostIp?: string;
  readonly HostPort?: string;
}

export interface ContainerInspect {
  readonly Id: string;
  readonly Name: string;
  readonly Image: string;
  readonly State: {
    readonly Status: string;
    readonly Running: boolean;
    readonly Paused: boolean;
    readonly ExitCode: number;
    readonly OOMKilled: boolean;
    readonly Error: string;
  };
  readonly Config: {
    readonly User: string;
    readonly Image: string;
    readonly Env: readonly string[] | null;
    readonly Labels: Labels | null;
  };
  readonly HostConfig: {
    readonly PortBindings?: Readonly<Record<string, readonly PortBinding[] | null>> | null;
    readonly Memory?: number;
    readonly NanoCpus?: number;
    readonly ReadonlyRootfs?: boolean;
  };
  readonly NetworkSettings: {
    readonly Ports?: Readonly<Record<string, readonly PortBinding[] | null>> | null;
    readonly Networks?: Readonly<Record<string, { readonly Aliases?: readonly string[] | null }>>;
  };
}

/** The body of POST /containers/create, plus the name. */
export interface ContainerCreateSpec {
  readonly name: string;
  readonly Image: string;
  readonly Hostname?: string;
  readonly User?: string;
  readonly Env?: readonly string[];
  readonly Labels?: Labels;
  readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>>;
  readonly StopTimeout?: number;
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly HostConfig: {
    readonly NetworkMode: string;
    /** `host-path:container-path[:ro]` */
    readonly Binds?: readonly string[];
    readonly PortBindings?: Readonly<Record<string, readonly PortBinding[]>>;
    readonly Memory?: number;
    readonly MemorySwap?: number;
    readonly NanoCpus?: number;
    readonly PidsLimit?: number;
    readonly ReadonlyRootfs?: boolean;
    readonly Tmpfs?: Readonly<Record<string, string>>;
    readonly CapDrop?: readonly string[];
    readonly SecurityOpt?: readonly string[];
    readonly RestartPolicy?: { readonly Name: 'no' | 'on-failure' | 'always' | 'unless-stopped' };
    readonly LogConfig?: { readonly Type: string; readonly Config: Readonly<Record<string, string>> };
  };
  readonly NetworkingConfig?: {
    readonly EndpointsConfig: Readonly<Record<string, { readonly Aliases?: readonly string[] }>>;
  };
}

export interface NetworkSummary {
  readonly Id: string;
  readonly Name: string;
  readonly Labels: Labels | null;
}

export interface NetworkCreateSpec {
  readonly Name: string;
  readonly Labels: Labels;
}

export interface ImageInspect {
  readonly Id: string;
  readonly RepoTags: readonly string[] | null;
  readonly Config: { readonly Labels: Labels | null } | null;
}

export interface ImageSummary {
  readonly Id: string;
  readonly RepoTags: readonly string[] | null;
  readonly Labels: Labels | null;
}

export interface EngineVersion {
  readonly Version: string;
  readonly ApiVersion: string;
  /** Go names: linux, windows. */
  readonly Os: string;
  /** Go names: amd64, arm64. */
  readonly Arch: string;
}

export interface ContainerLogsRequest {
  readonly follow: boolean;
  readonly tail: number;
  /** The container's stdout and stderr, demultiplexed. */
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Ends a followed stream. */
  readonly signal?: AbortSignal;
}

export interface ImportImageRequest {
  /** Repository and tag, e.g. lblab/node-base:1a2b3c. */
  readonly ref: string;
  /** Dockerfile instructions applied to the imported root file system (LABEL, ENV...). */
  readonly changes: readonly string[];
}

export interface BuildImageRequest {
  readonly ref: string;
  /** Ignore the build cache (a forced rebuild gives a new image id). */
  readonly noCache: boolean;
}

export interface DockerClient {
  /** Shown in messages: `unix:///var/run/docker.sock` or the DOCKER_HOST value. */
  readonly endpoint: string;

  ping(signal?: AbortSignal): Promise<void>;
  version(): Promise<EngineVersion>;

  listContainers(filter: LabelFilter): Promise<ContainerSummary[]>;
  /** Resolves to the new container's id. */
  createContainer(spec: ContainerCreateSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerInspect>;
  killContainer(id: string, signal: string): Promise<void>;
  /** SIGTERM, then SIGKILL after timeoutSec. */
  stopContainer(id: string, timeoutSec: number): Promise<void>;
  /** One stats sample (the engine measures CPU over about a second). */
  containerStats(id: string): Promise<ContainerStatsSample>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  /** Force removal kills a running container first. */
  removeContainer(id: string, options: { readonly force: boolean }): Promise<void>;
  /** Writes the logs; with `follow`, resolves when the container stops or the signal aborts. */
  containerLogs(id: string, request: ContainerLogsRequest): Promise<void>;

  listNetworks(filter: LabelFilter): Promise<NetworkSummary[]>;
  /** Resolves to the new network's id. */
  createNetwork(spec: NetworkCreateSpec): Promise<string>;
  removeNetwork(id: string): Promise<void>;

  /** Undefined when the engine has no such image. */
  inspectImage(ref: string): Promise<ImageInspect | undefined>;
  listImages(filter: LabelFilter): Promise<ImageSummary[]>;
  removeImage(ref: string, options: { readonly force: boolean }): Promise<void>;
  /** POST /images/create?fromSrc=-: a root file system tar becomes an image. */
  importImage(rootfsTar: Readable, request: ImportImageRequest): Promise<void>;
  /** POST /build with the classic builder; `context` is a tar holding the Dockerfile. */
  buildImage(context: Readable, request: BuildImageRequest): Promise<void>;
  pullImage(ref: string, signal: AbortSignal): Promise<void>;
}

/** What GET /info says of the engine's swarm membership. */
export interface SwarmMembership {
  /** inactive | pending | active | error | locked */
  readonly LocalNodeState: string;
  /** Whether this engine is a manager (can create services). */
  readonly ControlAvailable: boolean;
  readonly NodeID: string;
}

export interface SwarmNode {
  readonly ID: string;
  readonly Description?: { readonly Hostname?: string };
  readonly Spec?: { readonly Role?: string; readonly Availability?: string };
  readonly Status?: { readonly State?: string; readonly Addr?: string };
}

/** The body of POST /services/create and /services/{id}/update (the parts lblab sets). */
export interface ServiceSpec {
  readonly Name: string;
  readonly Labels: Labels;
  readonly TaskTemplate: {
    readonly ContainerSpec: {
      readonly Image: string;
      readonly Hostname?: string;
      readonly User?: string;
      readonly Env?: readonly string[];
      readonly Labels?: Labels;
      /** Nanoseconds. */
      readonly StopGracePeriod?: number;
      readonly StopSignal?: string;
      readonly ReadOnly?: boolean;
      readonly Mounts?: readonly { readonly Type: 'tmpfs'; readonly Target: string; readonly TmpfsOptions?: { readonly SizeBytes?: number } }[];
      readonly CapabilityDrop?: readonly string[];
    };
    readonly Resources?: { readonly Limits?: { readonly NanoCPUs?: number; readonly MemoryBytes?: number; readonly Pids?: number } };
    readonly RestartPolicy: { readonly Condition: 'none' | 'on-failure' | 'any' };
    readonly Placement?: { readonly Constraints?: readonly string[] };
    readonly Networks: readonly { readonly Target: string; readonly Aliases?: readonly string[] }[];
    readonly LogDriver?: { readonly Name: string; readonly Options: Readonly<Record<string, string>> };
    /** Bumped to start a new task on an unchanged spec. */
    readonly ForceUpdate?: number;
  };
  readonly Mode: { readonly Replicated: { readonly Replicas: number } };
  readonly EndpointSpec: { readonly Mode: 'vip' | 'dnsrr' };
}

export interface ServiceSummary {
  readonly ID: string;
  readonly Version: { readonly Index: number };
  readonly Spec: ServiceSpec;
}

export interface TaskSummary {
  readonly ID: string;
  readonly ServiceID: string;
  readonly NodeID?: string;
  /** running | shutdown | remove */
  readonly DesiredState: string;
  readonly Status: {
    /** new | pending | assigned | accepted | preparing | starting | running | complete | shutdown | failed | rejected | orphaned | remove */
    readonly State: string;
    readonly Message?: string;
    readonly Err?: string;
    readonly ContainerStatus?: { readonly ContainerID?: string; readonly ExitCode?: number };
  };
  readonly CreatedAt?: string;
}

export interface OverlayNetworkCreateSpec extends NetworkCreateSpec {
  readonly Driver: 'overlay';
  readonly Attachable: true;
}

/** The swarm part of the engine API: services, tasks, nodes, and pushing images to a registry. */
export interface SwarmClient extends DockerClient {
  swarmMembership(): Promise<SwarmMembership>;
  listNodes(): Promise<SwarmNode[]>;
  listServices(filter: LabelFilter): Promise<ServiceSummary[]>;
  /** Resolves to the new service's id. */
  createService(spec: ServiceSpec): Promise<string>;
  inspectService(id: string): Promise<ServiceSummary>;
  /** `version`: the Version.Index the spec was read at (the engine refuses a stale update). */
  updateService(id: string, version: number, spec: ServiceSpec): Promise<void>;
  removeService(id: string): Promise<void>;
  listTasks(serviceId: string): Promise<TaskSummary[]>;
  serviceLogs(id: string, request: ContainerLogsRequest): Promise<void>;
  createOverlayNetwork(spec: OverlayNetworkCreateSpec): Promise<string>;
  tagImage(ref: string, newRef: string): Promise<void>;
  pushImage(ref: string, signal: AbortSignal): Promise<void>;
}
