import type { BalancerConfig } from '../../balancer/config/config.js';
import type { BalancerPlacement } from '../balancers/balancer-settings.js';

export type RuntimeKind = 'docker' | 'process' | 'swarm';
export type MemberRole = 'server' | 'balancer';
/** `missing`: recorded or expected, but the runtime has nothing by that name. */
export type MemberState = 'running' | 'stopped' | 'paused' | 'missing';
export type SampleApp = 'factorial' | 'greeting';

export interface FaultSpec {
  /** Share of requests answered with 500, 0..1. */
  readonly errorRate?: number;
  /** Added latency: fixed, or a [min, max] range in milliseconds. */
  readonly latencyMs?: number | readonly [number, number];
  /** Accept requests but never answer. */
  readonly hang?: boolean;
  /** The server's workers: at most this many requests in service at once, the rest queue (0: no limit). */
  readonly concurrency?: number;
}

export interface ServerLaunch {
  readonly name: string;
  readonly app: SampleApp;
  /** Username that /register and /changePassword accept; defaults to the name. */
  readonly username?: string;
  /** Process runtime: the port to listen on (default: a free one). Docker servers are not published. */
  readonly port?: number;
  readonly fault?: FaultSpec;
}

export interface BalancerLaunch {
  /** Full balancer configuration; `servers[].url` come from startServer's upstreamUrl. */
  readonly config: BalancerConfig;
  /** Run HAProxy or nginx instead of lblab's balancer, on the configuration generated into runDir (see cli/balancers/). */
  readonly external?: ExternalBalancerLaunch;
}

export interface ExternalBalancerLaunch {
  readonly kind: 'haproxy' | 'nginx';
  /** Folder on this host holding the generated configuration; the balancer keeps its socket and pid file there. */
  readonly runDir: string;
}

export interface LabMember {
  readonly name: string;
  readonly role: MemberRole;
  readonly state: MemberState;
  /** How the balancer reaches this member (servers only). */
  readonly upstreamUrl?: string;
  /** Process id (process runtime) or container id (docker runtime). */
  readonly id?: string;
  /** Exit code when stopped, where the runtime knows it (137 after SIGKILL). */
  readonly exitCode?: number;
  /** The node it runs on (swarm runtime: the node's hostname). */
  readonly node?: string;
}

export interface LogsOptions {
  readonly follow: boolean;
  /** Last lines to show first. */
  readonly tail: number;
  readonly out: NodeJS.WritableStream;
  /** Stops following when aborted. */
  readonly signal?: AbortSignal;
}

export interface LabRuntimeInfo {
  readonly lab: string;
  /** Balancer data and admin ports, published at the runtime's publishedHost() (127.0.0.1 unless the engine is remote). */
  readonly port: number;
  readonly adminPort: number;
  /** The lab's admin token, handed to the balancer and the servers as LBLAB_TOKEN in their environment; none: admin auth off. */
  readonly token?: string;
}

export interface DownResult {
  readonly removed: readonly string[];
  /** Every failure, gathered, so one does not stop the rest of the teardown. */
  readonly errors: readonly Error[];
}

/**
 * What lblab needs from a place to run a lab. `docker` (dockerode), `swarm`
 * (Docker Swarm services) and `process` (local child processes) implement it; nothing else starts or
 * stops lab members.
 */
export interface Runtime {
  readonly kind: RuntimeKind;
  /** Readies the lab's shared resources (images, network, state folder). Idempotent. */
  prepare(
    lab: LabRuntimeInfo,
    options?: { readonly rebuild?: boolean; readonly log?: (line: string) => void; readonly balancerKind?: string },
  ): Promise<void>;
  /** Starts a sample server; resolves once it has been started (not necessarily healthy). */
  startServer(lab: LabRuntimeInfo, server: ServerLaunch): Promise<LabMember>;
  /** Starts the balancer, listening on lab.port (data) and lab.adminPort (admin), published at publishedHost(). */
  startBalancer(lab: LabRuntimeInfo, balancer: BalancerLaunch): Promise<LabMember>;
  /** Where this machine reaches the lab's published ports (a remote engine's host); absent means 127.0.0.1. */
  publishedHost?(): string;
  /** How the balancer will reach a server of this name once started (for /add with a template). */
  serverUrlTemplate(lab: LabRuntimeInfo): string | undefined;
  /** Where an external balancer (HAProxy, nginx) listens and finds runDir, as seen from inside its process or container. */
  balancerPlacement(lab: LabRuntimeInfo, runDir: string): BalancerPlacement;
  /** Sends a signal to a running member (an external balancer's reload: SIGUSR2 for HAProxy, SIGHUP for nginx). */
  signal(lab: string, name: string, signal: NodeJS.Signals): Promise<void>;
  /** SIGKILL. */
  kill(lab: string, name: string): Promise<void>;
  /** Starts a killed or stopped member again with the same identity (name, address, settings). */
  revive(lab: string, name: string): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period; the member stays, so revive starts it again. */
  stop(lab: string, name: string): Promise<void>;
  /** CPU and memory of every member, sampled now. */
  usage(lab: string, options?: UsageOptions): Promise<MemberUsage[]>;
  /** SIGSTOP / docker pause. */
  pause(lab: string, name: string): Promise<void>;
  unpause(lab: string, name: string): Promise<void>;
  /** Stops and deletes one member. */
  remove(lab: string, name: string): Promise<void>;
  /** Every member the runtime knows for this lab, found from the runtime itself. */
  list(lab: string): Promise<LabMember[]>;
  logs(lab: string, name: string, options: LogsOptions): Promise<void>;
  /** Removes everything of the lab, including a half-started one. */
  down(lab: string): Promise<DownResult>;
  /** Names of labs that have anything in this runtime. */
  labs(): Promise<string[]>;
}

/** What `lblab stats` shows per member, as `docker stats` does. */
export interface MemberUsage {
  readonly name: string;
  readonly role: MemberRole;
  readonly state: MemberState;
  /** Share of one CPU over the sample (100 = one core busy); undefined when the member is not running. */
  readonly cpuPercent?: number;
  /** Resident memory (process: VmRSS; docker: usage less the page cache). */
  readonly memoryBytes?: number;
  /** The container's memory limit (docker only; the host's memory when none is set). */
  readonly memoryLimitBytes?: number;
}

export interface UsageOptions {
  /** Process runtime: time between the two CPU readings (1 % resolution at 1 s with 100 clock ticks a second). Default 1000. */
  readonly sampleMs?: number;
}
