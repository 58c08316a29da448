import type { ControlStats, HealthWatch, WatchHealthOptions } from './balancer-control.js';
import type { ExternalBalancerState } from './balancer-files.js';
import type { GeneratedServer } from './balancer-settings.js';
import { ExternalControl } from './external-control.js';
import { waitUntil } from '../lab/wait-until.js';

/** `Active connections: 2 ... requests ... 17` from stub_status. */
export function parseStubStatus(text: string): { active: number; requests: number } {
  const active = Number(/Active connections:\s*(\d+)/.exec(text)?.[1] ?? 0);
  const counters = /\n\s*(\d+)\s+(\d+)\s+(\d+)\s*\n/.exec(text);
  return { active, requests: Number(counters?.[3] ?? 0) };
}

/**
 * nginx (open source) keeps no health state lblab can read: its checks are
 * passive, so servers show `unknown` health and per-server counts come from
 * the X-Server-Id answers lblab's load generator sees. Every change is a
 * regenerated configuration and a reload.
 */
export class NginxControl extends ExternalControl {
  readonly kind = 'nginx' as const;

  async version(): Promise<string | undefined> {
    const response = await fetch(`${this.adminUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    const server = response.headers.get('server') ?? '';
    await response.body?.cancel();
    const version = /^nginx\/(\S+)/.exec(server)?.[1];
    return version === undefined ? 'nginx' : `nginx ${version}`;
  }

  async stats(timeoutMs = 3_000): Promise<ControlStats> {
    const state = await this.state();
    const response = await fetch(`${this.adminUrl}/stats`, { signal: AbortSignal.timeout(timeoutMs) });
    const status = parseStubStatus(await response.text());
    return {
      algorithm: state.settings.algorithm,
      uptimeMs: 0,
      totals: { requests: status.requests, errors: 0, inFlight: Math.max(0, status.active - 1) },
      servers: state.settings.servers.map((server) => ({
        name: server.name,
        url: `http://${server.address}`,
        weight: server.weight,
        health: 'unknown',
        requests: 0,
        successes: 0,
        errors: 0,
        inFlight: 0,
        avgLatencyMs: 0,
        p99LatencyMs: 0,
        healthChangedAt: 0,
      })),
    };
  }

  /** nginx has no health to wait for: waits until each server answers its /health through nginx. */
  async waitForServers(names: readonly string[], timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => {
        const answers = await Promise.all(names.map((name) => this.serverRequest('GET', name, '/health', undefined, 1_000).then(() => true, () => false)));
        return answers.every(Boolean) ? true : undefined;
      },
      { timeoutMs, intervalMs: 100, what: `${names.join(', ')} to answer through nginx` },
    );
  }

  /**
   * In Docker nginx resolves server names only when it loads its
   * configuration, and a stopped container's name does not resolve: servers
   * that are not running are left out, and a revive reloads to bring the
   * server back at its new address.
   */
  protected override async serversToWrite(state: ExternalBalancerState): Promise<readonly GeneratedServer[]> {
    if (state.settings.placement.resolver === undefined) return state.settings.servers;
    const running = new Set((await this.runtime.list(this.lab)).filter((member) => member.state === 'running').map((member) => member.name));
    return state.settings.servers.filter((server) => running.has(server.name));
  }

  override async membersChanged(): Promise<void> {
    const state = await this.state();
    if (state.settings.placement.resolver === undefined) return;
    await this.reconfigure(state, {});
  }

  async watchHealth(options: WatchHealthOptions): Promise<HealthWatch> {
    options.onWarning('nginx (open source) keeps no health state to follow (passive checks only); detection times are not measured');
    return { close: async () => undefined };
  }
}
