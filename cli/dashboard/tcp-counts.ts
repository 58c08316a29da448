import type { BalancerStats } from '../../balancer/api-types.js';

/**
 * In tcp mode the balancer sees connections, not requests: its /stats with
 * each server's relayed connections in place of requests (and open ones in
 * place of in flight), so the dashboard's rates, shares and sparklines follow
 * connections. Http-mode stats are returned as they are. Pure.
 */
export function connectionsAsRequests(stats: BalancerStats): BalancerStats {
  if (stats.mode !== 'tcp') return stats;
  return {
    ...stats,
    totals: {
      requests: stats.connections?.total ?? 0,
      errors: stats.connections?.refused ?? 0,
      inFlight: stats.connections?.open ?? 0,
    },
    servers: stats.servers.map((server) => ({
      ...server,
      requests: server.connections ?? 0,
      errors: server.connectFailures ?? 0,
      inFlight: server.openConnections ?? 0,
    })),
  };
}
