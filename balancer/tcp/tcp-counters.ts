import type { ConnectionTotals, ServerStats } from '../api-types.js';

/** Counts of one server in tcp mode (by name, for the life of the balancer, as the request metrics are). */
export interface TcpServerCounts {
  open: number;
  total: number;
  connectFailures: number;
  bytesToServer: number;
  bytesToClient: number;
}

export type TcpRefusalReason = 'no_healthy_server' | 'queue_full' | 'queue_timeout' | 'connect_failed' | 'closing';

/** Connection and byte counts of the tcp data path; plain numbers, read by /stats and /metrics. */
export class TcpCounters {
  readonly servers = new Map<string, TcpServerCounts>();
  readonly refusals = new Map<TcpRefusalReason, number>();
  open = 0;
  total = 0;
  bytesToServers = 0;
  bytesToClients = 0;

  forServer(name: string): TcpServerCounts {
    let counts = this.servers.get(name);
    if (counts === undefined) {
      counts = { open: 0, total: 0, connectFailures: 0, bytesToServer: 0, bytesToClient: 0 };
      this.servers.set(name, counts);
    }
    return counts;
  }

  refuse(reason: TcpRefusalReason): void {
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
  }

  get refused(): number {
    let sum = 0;
    for (const count of this.refusals.values()) sum += count;
    return sum;
  }

  totals(queued: number): ConnectionTotals {
    return {
      open: this.open,
      total: this.total,
      queued,
      refused: this.refused,
      bytesToServers: this.bytesToServers,
      bytesToClients: this.bytesToClients,
    };
  }

  /** The tcp fields of one server's /stats entry. */
  serverFields(name: string): Pick<ServerStats, 'openConnections' | 'connections' | 'connectFailures' | 'bytesToServer' | 'bytesToClient'> {
    const counts = this.servers.get(name);
    return {
      openConnections: counts?.open ?? 0,
      connections: counts?.total ?? 0,
      connectFailures: counts?.connectFailures ?? 0,
      bytesToServer: counts?.bytesToServer ?? 0,
      bytesToClient: counts?.bytesToClient ?? 0,
    };
  }
}
