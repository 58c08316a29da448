import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import { AdminClient, type ServerFaultState } from '../lab/admin-client.js';
import { waitForHealth } from '../lab/balancer-health.js';
import { BalancerEventsClient } from '../lab/balancer-events-client.js';
import type { FaultSpec } from '../runtime/runtime.js';
import type { BalancerControl, ControlStats, HealthWatch, ReplicaList, WatchHealthOptions } from './balancer-control.js';

/** lblab's own balancer, through its admin API. */
export class LblabControl implements BalancerControl {
  readonly kind = 'lblab' as const;
  readonly #admin: AdminClient;

  constructor(
    readonly adminUrl: string,
    readonly token?: string,
  ) {
    this.#admin = new AdminClient(adminUrl, token);
  }

  async version(): Promise<string | undefined> {
    const manifest = JSON.parse(await readFile(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return manifest.version === undefined ? 'lblab' : `lblab ${manifest.version}`;
  }

  stats(timeoutMs?: number): Promise<ControlStats> {
    return this.#admin.stats(timeoutMs);
  }

  replicas(): Promise<ReplicaList> {
    return this.#admin.replicas();
  }

  addServers(servers: readonly { name: string; url: string }[]): Promise<ReplicaList> {
    return this.#admin.addServers(servers);
  }

  removeServers(names: readonly string[]): Promise<ReplicaList> {
    return this.#admin.removeServers(names);
  }

  async setAlgorithm(algorithm: AlgorithmName): Promise<string | undefined> {
    await this.#admin.setAlgorithm(algorithm);
    return undefined;
  }

  setFault(server: string, fault: FaultSpec): Promise<unknown> {
    return this.#admin.setFault(server, fault);
  }

  fault(server: string): Promise<ServerFaultState> {
    return this.#admin.fault(server);
  }

  clearFault(server: string): Promise<unknown> {
    return this.#admin.clearFault(server);
  }

  async waitForServers(names: readonly string[], timeoutMs: number): Promise<void> {
    await waitForHealth(this, names, 'up', timeoutMs);
  }

  async membersChanged(): Promise<void> {}

  async watchHealth(options: WatchHealthOptions): Promise<HealthWatch> {
    return BalancerEventsClient.open({
      adminUrl: this.adminUrl,
      ...(this.token === undefined ? {} : { token: this.token }),
      onEvent: options.onEvent,
      onGiveUp: options.onWarning,
      maxReconnects: 200,
    });
  }
}
