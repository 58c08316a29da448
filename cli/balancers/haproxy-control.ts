import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BalancerEvent } from '../../balancer/api-types.js';
import { waitForHealth } from '../lab/balancer-health.js';
import type { ControlStats, HealthWatch, ReplicaList, WatchHealthOptions } from './balancer-control.js';
import { balancerRunDir } from './balancer-files.js';
import { ExternalControl } from './external-control.js';
import { HAPROXY_FILES } from './haproxy-config.js';
import { haproxyCommand, parseShowInfo, parseShowStat } from './haproxy-runtime-api.js';
import { statsFromShowStat } from './haproxy-stats.js';

const WATCH_INTERVAL_MS = 100;

/** HAProxy through its runtime API (the stats socket in the lab's balancer folder) and seamless reloads. */
export class HaproxyControl extends ExternalControl {
  readonly kind = 'haproxy' as const;

  get socketPath(): string {
    return path.join(balancerRunDir(this.lab), HAPROXY_FILES.socket);
  }

  async version(): Promise<string | undefined> {
    const info = parseShowInfo(await haproxyCommand(this.socketPath, 'show info'));
    return info.Version === undefined ? undefined : `HAProxy ${info.Version}`;
  }

  async stats(timeoutMs?: number): Promise<ControlStats> {
    const [stat, info, state] = await Promise.all([
      haproxyCommand(this.socketPath, 'show stat', timeoutMs),
      haproxyCommand(this.socketPath, 'show info', timeoutMs),
      this.state(),
    ]);
    return statsFromShowStat(parseShowStat(stat), {
      algorithm: state.settings.algorithm,
      uptimeMs: Number(parseShowInfo(info).Uptime_sec ?? 0) * 1000,
      nowMs: Date.now(),
    });
  }

  async waitForServers(names: readonly string[], timeoutMs: number): Promise<void> {
    await waitForHealth(this, names, 'up', timeoutMs);
  }

  /**
   * Takes the servers out at once through the runtime API (`set server ...
   * state maint`), then reloads without them. Adding and removing go through
   * a reload, not `add server`/`del server`, because each server also has a
   * route on the admin port that only a new configuration gives.
   */
  override async removeServers(names: readonly string[]): Promise<ReplicaList> {
    const registered = (await this.replicas()).replicas;
    for (const name of names.filter((candidate) => registered.includes(candidate))) {
      await haproxyCommand(this.socketPath, `set server servers/${name} state maint`);
    }
    return super.removeServers(names);
  }

  /** Saves every server's health (and address) so the new process starts where the old one was. */
  protected override async beforeReload(): Promise<void> {
    const states = await haproxyCommand(this.socketPath, 'show servers state servers').catch(() => undefined);
    if (states !== undefined) await writeFile(path.join(balancerRunDir(this.lab), HAPROXY_FILES.serverState), states);
  }

  /** Polls `show stat` and reports each change of a server's health, dated when it was seen. */
  async watchHealth(options: WatchHealthOptions): Promise<HealthWatch> {
    const last = new Map<string, string>();
    const poll = async (): Promise<void> => {
      const stats = await this.stats(1_000).catch(() => undefined);
      for (const server of stats?.servers ?? []) {
        const before = last.get(server.name);
        last.set(server.name, server.health);
        if (before !== undefined && before !== server.health && server.health !== 'unknown') {
          const event: BalancerEvent = { type: 'health', at: Date.now(), server: server.name, health: server.health };
          options.onEvent(event);
        }
      }
    };
    await poll();
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(() => (stopped ? undefined : poll()));
    }, WATCH_INTERVAL_MS);
    return {
      close: async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      },
    };
  }
}
