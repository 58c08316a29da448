import type { ContainerStatsSample } from './container-usage.js';
import { PassThrough, type Readable } from 'node:stream';
import Docker from 'dockerode';
import { LabError } from '../../errors.js';
import type {
  BuildImageRequest,
  ContainerCreateSpec,
  ContainerInspect,
  ContainerLogsRequest,
  ContainerSummary,
  DockerClient,
  EngineVersion,
  ImageInspect,
  ImageSummary,
  ImportImageRequest,
  LabelFilter,
  NetworkCreateSpec,
  NetworkSummary,
  OverlayNetworkCreateSpec,
  ServiceSpec,
  ServiceSummary,
  SwarmClient,
  SwarmMembership,
  SwarmNode,
  TaskSummary,
} from './docker-client.js';
import { missingTlsFiles, resolveDockerEndpoint } from './docker-endpoint.js';
import { withEngineDeadline } from './engine-deadline.js';
import { isEngineError, toLabError } from './engine-error.js';
import { ProgressError, readProgress } from './progress-stream.js';

function splitRef(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) return { repo: ref, tag: 'latest' };
  return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

/** An ordinary engine call (inspect, list, create, start, kill, remove...): generous, for an engine under load. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** An image build, import or pull, from the request to the end of its progress stream. */
export const DEFAULT_PROGRESS_TIMEOUT_MS = 300_000;

export interface DockerodeClientOptions {
  readonly dockerHost?: string;
  /** How long an ordinary call may take before it fails with LBLAB_ENGINE (default 60000). */
  readonly callTimeoutMs?: number;
  /** How long a build, import or pull may take (default 300000). */
  readonly progressTimeoutMs?: number;
}

function filters(filter: LabelFilter): string {
  return JSON.stringify({ label: [...filter.label] });
}

/**
 * The DockerClient over dockerode: the only file that imports it. Every
 * failure becomes a LabError (see engine-error.ts).
 */
export class DockerodeClient implements DockerClient, SwarmClient {
  readonly endpoint: string;
  readonly #docker: Docker;
  readonly #callTimeoutMs: number;
  readonly #progressTimeoutMs: number;

  constructor(options: DockerodeClientOptions = {}) {
    this.#callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.#progressTimeoutMs = options.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS;
    const resolved = resolveDockerEndpoint(options.dockerHost);
    this.endpoint = resolved.endpoint;
    try {
      this.#docker = resolved.connection === undefined ? new Docker() : new Docker({ ...resolved.connection });
    } catch (error) {
      // dockerode rejects a DOCKER_HOST it cannot parse, and a DOCKER_CERT_PATH without its three files.
      const missing = missingTlsFiles();
      if (missing.length > 0) {
        throw new LabError('LBLAB_BAD_INPUT', `DOCKER_CERT_PATH ${JSON.stringify(process.env.DOCKER_CERT_PATH)} lacks ${missing.join(', ')} (ca.pem, cert.pem and key.pem are needed for DOCKER_HOST ${JSON.stringify(resolved.endpoint)})`, { cause: error });
      }
      throw new LabError('LBLAB_BAD_INPUT', `DOCKER_HOST ${JSON.stringify(resolved.endpoint)} is not valid: ${(error as Error).message}`, { cause: error });
    }
  }

  async #call<T>(action: string, run: () => Promise<T>, limits: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<T> {
    try {
      return await withEngineDeadline(run(), {
        action,
        endpoint: this.endpoint,
        timeoutMs: limits.timeoutMs ?? this.#callTimeoutMs,
        ...(limits.signal === undefined ? {} : { signal: limits.signal }),
      });
    } catch (error) {
      throw toLabError(error, action, this.endpoint);
    }
  }

  async #progress(action: string, start: () => Promise<NodeJS.ReadableStream>, signal?: AbortSignal): Promise<void> {
    await this.#call(action, async () => {
      const stream = await start();
      try {
        await readProgress(stream as AsyncIterable<Buffer>);
      } catch (error) {
        if (!(error instanceof ProgressError)) throw error;
        const context = error.lines.slice(-5).join('\n  ');
        throw new Error(context === '' ? error.message : `${error.message}\n  ${context}`, { cause: error });
      }
    }, { timeoutMs: this.#progressTimeoutMs, ...(signal === undefined ? {} : { signal }) });
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.#call('ping the Docker engine', async () => {
      // The typings omit ping's options; docker-modem honours abortSignal.
      const docker = this.#docker as unknown as { ping(options: { abortSignal?: AbortSignal }): Promise<unknown> };
      await docker.ping(signal === undefined ? {} : { abortSignal: signal });
    }, signal === undefined ? {} : { signal });
  }

  version(): Promise<EngineVersion> {
    return this.#call('read the Docker engine version', async () => (await this.#docker.version()) as EngineVersion);
  }

  listContainers(filter: LabelFilter): Promise<ContainerSummary[]> {
    return this.#call('list containers', async () =>
      (await this.#docker.listContainers({ all: true, filters: filters(filter) })) as ContainerSummary[],
    );
  }

  createContainer(spec: ContainerCreateSpec): Promise<string> {
    return this.#call(`create container ${spec.name}`, async () => {
      const container = await this.#docker.createContainer(spec as unknown as Docker.ContainerCreateOptions);
      return container.id;
    });
  }

  startContainer(id: string): Promise<void> {
    return this.#call(`start container ${id.slice(0, 12)}`, async () => {
      await this.#docker.getContainer(id).start();
    });
  }

  inspectContainer(id: string): Promise<ContainerInspect> {
    return this.#call(`inspect container ${id.slice(0, 12)}`, async () =>
      (await this.#docker.getContainer(id).inspect()) as unknown as ContainerInspect,
    );
  }

  killContainer(id: string, signal: string): Promise<void> {
    return this.#call(`kill container ${id.slice(0, 12)}`, async () => {
      await this.#docker.getContainer(id).kill({ signal });
    });
  }

  stopContainer(id: string, timeoutSec: number): Promise<void> {
    return this.#call(`stop container ${id.slice(0, 12)}`, async () => {
      await this.#docker.getContainer(id).stop({ t: timeoutSec });
    });
  }

  containerStats(id: string): Promise<ContainerStatsSample> {
    return this.#call(`read the stats of container ${id.slice(0, 12)}`, async () =>
      (await this.#docker.getContainer(id).stats({ stream: false })) as unknown as ContainerStatsSample,
    );
  }

  pauseContainer(id: string): Promise<void> {
    return this.#call(`pause container ${id.slice(0, 12)}`, async () => {
      await this.#docker.getContainer(id).pause();
    });
  }

  unpauseContainer(id: string): Promise<void> {
    return this.#call(`unpause container ${id.slice(0, 12)}`, async () => {
      await this.#docker.getContainer(id).unpause();
    });
  }

  removeContainer(id: string, options: { readonly force: boolean }): Promise<void> {
    return this.#call(`remove container ${id.slice(0, 12)}`, async () => {
      await this.#docker.getContainer(id).remove({ force: options.force, v: true });
    });
  }

  containerLogs(id: string, request: ContainerLogsRequest): Promise<void> {
    const container = this.#docker.getContainer(id);
    return this.#logs(`read the logs of container ${id.slice(0, 12)}`, (options) => container.logs(options as never) as unknown as Promise<unknown>, request);
  }

  /** Writes a container's or a service's multiplexed logs; following runs until the stream closes or the signal aborts. */
  #logs(action: string, open: (options: object) => Promise<unknown>, request: ContainerLogsRequest): Promise<void> {
    return this.#call(action, async () => {
      const base = { stdout: true, stderr: true, tail: request.tail, timestamps: false } as const;
      if (!request.follow) {
        const buffer = (await open({ ...base, follow: false })) as Buffer;
        const source = new PassThrough();
        const done = new Promise<void>((resolve, reject) => {
          source.once('end', resolve);
          source.once('error', reject);
        });
        this.#docker.modem.demuxStream(source, request.stdout, request.stderr);
        source.end(buffer);
        await done;
        return;
      }
      if (request.signal?.aborted === true) return;
      const stream = (await open({ ...base, follow: true })) as Readable;
      await new Promise<void>((resolve, reject) => {
        const stop = (): void => {
          stream.destroy();
          resolve();
        };
        request.signal?.addEventListener('abort', stop, { once: true });
        const finish = (error?: Error): void => {
          request.signal?.removeEventListener('abort', stop);
          if (error !== undefined && request.signal?.aborted !== true) reject(error);
          else resolve();
        };
        stream.once('end', () => finish());
        stream.once('close', () => finish());
        stream.once('error', (error: Error) => finish(error));
        this.#docker.modem.demuxStream(stream, request.stdout, request.stderr);
      });
      // Following runs until the container stops or the signal aborts; the stream's close ends it.
    }, request.follow ? { timeoutMs: Number.POSITIVE_INFINITY } : {});
  }

  listNetworks(filter: LabelFilter): Promise<NetworkSummary[]> {
    return this.#call('list networks', async () =>
      (await this.#docker.listNetworks({ filters: filters(filter) })) as NetworkSummary[],
    );
  }

  createNetwork(spec: NetworkCreateSpec): Promise<string> {
    return this.#call(`create network ${spec.Name}`, async () => {
      const network = await this.#docker.createNetwork({
        Name: spec.Name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { ...spec.Labels },
      });
      return network.id;
    });
  }

  removeNetwork(id: string): Promise<void> {
    return this.#call(`remove network ${id.slice(0, 12)}`, async () => {
      await this.#docker.getNetwork(id).remove();
    });
  }

  async inspectImage(ref: string): Promise<ImageInspect | undefined> {
    try {
      return await this.#call(`inspect image ${ref}`, async () => (await this.#docker.getImage(ref).inspect()) as ImageInspect);
    } catch (error) {
      if (isEngineError(error, 404)) return undefined;
      throw error;
    }
  }

  listImages(filter: LabelFilter): Promise<ImageSummary[]> {
    return this.#call('list images', async () => (await this.#docker.listImages({ filters: filters(filter) })) as ImageSummary[]);
  }

  removeImage(ref: string, options: { readonly force: boolean }): Promise<void> {
    return this.#call(`remove image ${ref}`, async () => {
      await this.#docker.getImage(ref).remove({ force: options.force });
    });
  }

  importImage(rootfsTar: Readable, request: ImportImageRequest): Promise<void> {
    const { repo, tag } = splitRef(request.ref);
    return this.#progress(`import image ${request.ref}`, async () =>
      this.#docker.importImage(rootfsTar, { repo, tag, changes: [...request.changes] } as unknown as object),
    );
  }

  buildImage(context: Readable, request: BuildImageRequest): Promise<void> {
    return this.#progress(`build image ${request.ref}`, async () =>
      this.#docker.buildImage(context, {
        t: request.ref,
        nocache: request.noCache,
        rm: true,
        forcerm: true,
        pull: false,
        // The classic builder: BuildKit needs a session the API alone does not give.
        version: '1',
      } as Docker.ImageBuildOptions),
    );
  }

  pullImage(ref: string, signal: AbortSignal): Promise<void> {
    return this.#progress(`pull image ${ref}`, async () => (await this.#docker.pull(ref, { abortSignal: signal })) as NodeJS.ReadableStream, signal);
  }

  swarmMembership(): Promise<SwarmMembership> {
    return this.#call('read the engine info', async () => {
      const info = (await this.#docker.info()) as { Swarm?: Partial<SwarmMembership> };
      return { LocalNodeState: info.Swarm?.LocalNodeState ?? 'inactive', ControlAvailable: info.Swarm?.ControlAvailable === true, NodeID: info.Swarm?.NodeID ?? '' };
    });
  }

  listNodes(): Promise<SwarmNode[]> {
    return this.#call('list swarm nodes', async () => (await this.#docker.listNodes()) as SwarmNode[]);
  }

  listServices(filter: LabelFilter): Promise<ServiceSummary[]> {
    return this.#call('list services', async () => (await this.#docker.listServices({ filters: filters(filter) })) as unknown as ServiceSummary[]);
  }

  createService(spec: ServiceSpec): Promise<string> {
    return this.#call(`create service ${spec.Name}`, async () => {
      const service = await this.#docker.createService(spec as unknown as Docker.CreateServiceOptions);
      return service.id;
    });
  }

  inspectService(id: string): Promise<ServiceSummary> {
    return this.#call(`inspect service ${id.slice(0, 12)}`, async () => (await this.#docker.getService(id).inspect()) as ServiceSummary);
  }

  updateService(id: string, version: number, spec: ServiceSpec): Promise<void> {
    return this.#call(`update service ${spec.Name}`, async () => {
      await this.#docker.getService(id).update({ ...spec, version } as unknown as object);
    });
  }

  removeService(id: string): Promise<void> {
    return this.#call(`remove service ${id.slice(0, 12)}`, async () => {
      await this.#docker.getService(id).remove();
    });
  }

  listTasks(serviceId: string): Promise<TaskSummary[]> {
    return this.#call(`list the tasks of service ${serviceId.slice(0, 12)}`, async () =>
      (await this.#docker.listTasks({ filters: JSON.stringify({ service: [serviceId] }) })) as TaskSummary[],
    );
  }

  serviceLogs(id: string, request: ContainerLogsRequest): Promise<void> {
    const service = this.#docker.getService(id);
    return this.#logs(`read the logs of service ${id.slice(0, 12)}`, (options) => service.logs(options as never) as unknown as Promise<unknown>, request);
  }

  createOverlayNetwork(spec: OverlayNetworkCreateSpec): Promise<string> {
    return this.#call(`create network ${spec.Name}`, async () => {
      const network = await this.#docker.createNetwork({ Name: spec.Name, Driver: 'overlay', Attachable: true, CheckDuplicate: true, Labels: { ...spec.Labels } });
      return network.id;
    });
  }

  tagImage(ref: string, newRef: string): Promise<void> {
    const { repo, tag } = splitRef(newRef);
    return this.#call(`tag image ${ref} as ${newRef}`, async () => {
      await this.#docker.getImage(ref).tag({ repo, tag });
    });
  }

  pushImage(ref: string, signal: AbortSignal): Promise<void> {
    return this.#progress(`push image ${ref}`, async () => (await this.#docker.getImage(ref).push({ abortSignal: signal } as object)) as NodeJS.ReadableStream, signal);
  }
}
