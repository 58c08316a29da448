import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { BalancerStats, ConnectionTotals, ResilienceStats, ServerHealth } from '../../balancer/api-types.js';
import type { MemberState, RuntimeKind } from '../runtime/runtime.js';
import { naturalCompare } from '../load/natural-compare.js';
import type { OpenLab } from './open-lab.js';
import { balancerUrls } from './lab-record.js';
import type { BalancerKind } from '../balancers/balancer-kind.js';
import type { ControlStats } from '../balancers/balancer-control.js';

export interface ServerStatus {
  readonly name: string;
  readonly state: MemberState;
  /** `unknown` only when the balancer cannot be asked. */
  readonly health: ServerHealth | 'unknown';
  readonly requests: number;
  readonly errors: number;
  readonly inFlight: number;
  readonly avgLatencyMs: number;
  readonly p99LatencyMs: number;
  /** Registered with the balancer (a server started but not yet added, or removed, is not). */
  readonly registered: boolean;
  /** A member of the lab in the runtime (a server added through the admin API alone is not; its state is `missing`). */
  readonly member: boolean;
  /** The node it runs on, where the runtime has nodes (swarm). */
  readonly node?: string;
  /** Epoch ms when its passive ejection ends (only while ejected). */
  readonly ejectedUntil?: number;
  /** Tcp mode: client connections relayed to it now and since start, and the bytes both ways. */
  readonly openConnections?: number;
  readonly connections?: number;
  readonly bytesToServer?: number;
  readonly bytesToClient?: number;
}

export interface LabStatus {
  readonly lab: string;
  readonly runtime: RuntimeKind;
  readonly algorithm: AlgorithmName | 'unknown';
  readonly balancer: {
    /** lblab, haproxy or nginx, and its version where known. */
    readonly kind: BalancerKind;
    readonly version?: string;
    readonly url: string;
    readonly adminUrl: string;
    readonly state: MemberState;
    readonly reachable: boolean;
    /** Why GET /stats failed (no answer, or 401: no or a wrong token), when it did. */
    readonly adminError?: string;
    /** `token`: the admin API wants the lab's token (the CLI sends it); `none`: open. */
    readonly adminAuth: 'token' | 'none';
  };
  readonly servers: readonly ServerStatus[];
  /** Retries, fan-out and ejections since the balancer started (absent when it cannot be asked). */
  readonly resilience?: ResilienceStats;
  /** `tcp` when the balancer relays connections; left out in http mode. */
  readonly mode?: 'tcp';
  /** Tcp mode: the balancer's connection counts. */
  readonly connections?: ConnectionTotals;
  /** lblab's balancer with `--workers` above 1: its data-path processes (absent for one). */
  readonly workers?: number;
}

/** Joins what the runtime says (running, stopped, paused) with what the balancer says (health, counters). */
export async function labStatus(lab: OpenLab): Promise<LabStatus> {
  let adminError: string | undefined;
  const [members, stats] = await Promise.all([
    lab.runtime.list(lab.record.lab),
    lab.admin.stats(2_000).catch((error: Error): ControlStats | undefined => {
      adminError = error.message;
      return undefined;
    }),
  ]);
  const balancer = members.find((m) => m.role === 'balancer');
  const names = new Set([...members.filter((m) => m.role === 'server').map((m) => m.name), ...(stats?.servers.map((s) => s.name) ?? [])]);
  const servers = [...names].sort(naturalCompare).map((name): ServerStatus => {
    const member = members.find((m) => m.name === name && m.role === 'server');
    const seen = stats?.servers.find((s) => s.name === name);
    return {
      name,
      state: member?.state ?? 'missing',
      health: seen?.health ?? (stats === undefined ? 'unknown' : 'down'),
      requests: seen?.requests ?? 0,
      errors: seen?.errors ?? 0,
      inFlight: seen?.inFlight ?? 0,
      avgLatencyMs: seen?.avgLatencyMs ?? 0,
      p99LatencyMs: seen?.p99LatencyMs ?? 0,
      registered: seen !== undefined,
      member: member !== undefined,
      ...(member?.node === undefined ? {} : { node: member.node }),
      ...(seen?.ejectedUntil === undefined ? {} : { ejectedUntil: seen.ejectedUntil }),
      ...(stats?.mode === 'tcp'
        ? {
            openConnections: seen?.openConnections ?? 0,
            connections: seen?.connections ?? 0,
            bytesToServer: seen?.bytesToServer ?? 0,
            bytesToClient: seen?.bytesToClient ?? 0,
          }
        : {}),
    };
  });
  return {
    lab: lab.record.lab,
    runtime: lab.record.runtime,
    algorithm: stats?.algorithm ?? 'unknown',
    balancer: {
      kind: lab.admin.kind,
      ...(lab.record.balancer?.version === undefined ? {} : { version: lab.record.balancer.version }),
      url: balancerUrls(lab.record).url,
      adminUrl: lab.admin.adminUrl,
      state: balancer?.state ?? 'missing',
      reachable: stats !== undefined,
      ...(adminError === undefined ? {} : { adminError }),
      adminAuth: lab.token === undefined ? 'none' : 'token',
    },
    servers,
    ...(stats?.resilience === undefined ? {} : { resilience: stats.resilience }),
    ...(stats?.workers === undefined ? {} : { workers: stats.workers.length }),
    ...(stats?.mode === 'tcp' ? { mode: 'tcp' as const, ...(stats.connections === undefined ? {} : { connections: stats.connections }) } : {}),
  };
}
