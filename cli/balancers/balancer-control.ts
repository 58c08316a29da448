import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { BalancerEvent, BalancerStats, ServerStats } from '../../balancer/api-types.js';
import type { ServerFaultState } from '../lab/admin-client.js';
import type { FaultSpec } from '../runtime/runtime.js';
import type { BalancerKind } from './balancer-kind.js';

export interface ReplicaList {
  readonly N: number;
  readonly replicas: readonly string[];
}

/** A server as a control reports it; `unknown` where the balancer keeps no health (nginx: passive checks only). */
export type ControlServerStats = Omit<ServerStats, 'health'> & { readonly health: ServerStats['health'] | 'unknown' };

export type ControlStats = Omit<BalancerStats, 'servers' | 'algorithm'> & {
  readonly algorithm: AlgorithmName;
  readonly servers: readonly ControlServerStats[];
};

/** Follows a balancer's health changes until closed. */
export interface HealthWatch {
  close(): Promise<void>;
}

export interface WatchHealthOptions {
  readonly onEvent: (event: BalancerEvent) => void;
  readonly onWarning: (line: string) => void;
}

/**
 * What the CLI asks of a lab's balancer, whatever its kind: lblab's admin
 * API, HAProxy's runtime API, or nginx's regenerated configuration and
 * reloads. Verbs, status, scenarios and the dashboard use only this.
 */
export interface BalancerControl {
  readonly kind: BalancerKind;
  /** The admin address shown to users (lblab: its admin API; HAProxy, nginx: their admin HTTP port). */
  readonly adminUrl: string;
  /** `HAProxy 2.6.12`, `nginx 1.22.1`, `lblab 0.1.0`. */
  version(): Promise<string | undefined>;
  stats(timeoutMs?: number): Promise<ControlStats>;
  replicas(): Promise<ReplicaList>;
  addServers(servers: readonly { name: string; url: string }[]): Promise<ReplicaList>;
  removeServers(names: readonly string[]): Promise<ReplicaList>;
  /** Resolves with a line saying how the switch was done (`reloaded HAProxy with balance leastconn`), or undefined. */
  setAlgorithm(algorithm: AlgorithmName): Promise<string | undefined>;
  setFault(server: string, fault: FaultSpec): Promise<unknown>;
  /** The server's whole fault state, read back from it. */
  fault(server: string): Promise<ServerFaultState>;
  clearFault(server: string): Promise<unknown>;
  /** Resolves once the balancer sends traffic to every one of `names` (health up; nginx: reachable through it). */
  waitForServers(names: readonly string[], timeoutMs: number): Promise<void>;
  /** After a server was killed, revived, paused or unpaused: what the balancer side must do (nginx in Docker: reload). */
  membersChanged(): Promise<void>;
  /** Health changes as events; a kind that keeps no health state warns and delivers none. */
  watchHealth(options: WatchHealthOptions): Promise<HealthWatch>;
}
