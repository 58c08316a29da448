import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { DashboardView } from '../../../cli/dashboard/dashboard-view.js';
import { labState, plain, serverRow } from './fixtures.js';
import type { BalancerStats } from '../../../balancer/api-types.js';
import { connectionsAsRequests } from '../../../cli/dashboard/tcp-counts.js';
import { formatStatus } from '../../../cli/commands/status.js';

const server = { url: 'http://127.0.0.1:1', weight: 1, health: 'up' as const, requests: 0, successes: 0, errors: 0, inFlight: 1, avgLatencyMs: 0, p99LatencyMs: 0, healthChangedAt: 0 };

const tcpStats: BalancerStats = {
  algorithm: 'round-robin',
  uptimeMs: 1_000,
  totals: { requests: 0, errors: 0, inFlight: 0 },
  mode: 'tcp',
  connections: { open: 1, total: 5, queued: 0, refused: 2, bytesToServers: 1_536, bytesToClients: 3 * 1024 * 1024 },
  servers: [
    { ...server, name: 'server1', connections: 4, openConnections: 1, connectFailures: 1, bytesToServer: 1_024, bytesToClient: 2_048 },
    { ...server, name: 'server2', inFlight: 0, connections: 1, openConnections: 0, connectFailures: 0, bytesToServer: 512, bytesToClient: 0 },
  ],
};

describe('tcp mode in the dashboard and status', () => {
  it('counts connections where the dashboard counts requests', () => {
    const stats = connectionsAsRequests(tcpStats);
    expect(stats.totals).toEqual({ requests: 5, errors: 2, inFlight: 1 });
    expect(stats.servers.map((s) => [s.name, s.requests, s.errors, s.inFlight])).toEqual([
      ['server1', 4, 1, 1],
      ['server2', 1, 0, 0],
    ]);
  });

  it('leaves http-mode stats as they are', () => {
    const http: BalancerStats = { ...tcpStats, mode: undefined, connections: undefined };
    expect(connectionsAsRequests(http)).toBe(http);
  });

  it('status shows connections and bytes per server', () => {
    const text = formatStatus({
      lab: 'l4',
      runtime: 'process',
      algorithm: 'round-robin',
      balancer: { kind: 'lblab', adminAuth: 'token', url: 'http://127.0.0.1:8080', adminUrl: 'http://127.0.0.1:8081', state: 'running', reachable: true },
      mode: 'tcp',
      connections: tcpStats.connections as NonNullable<BalancerStats['connections']>,
      servers: [
        { name: 'server1', state: 'running', health: 'up', requests: 0, errors: 0, inFlight: 1, avgLatencyMs: 0, p99LatencyMs: 0, registered: true, member: true, openConnections: 1, connections: 4, bytesToServer: 1_024, bytesToClient: 2_048 },
      ],
    });
    expect(text).toContain('tcp mode (one server per connection): 5 connections, 1 open, 0 waiting, 2 refused; 1.5 KiB to servers, 3.0 MiB to clients');
    expect(text).toMatch(/SERVER +STATE +HEALTH +CONNECTIONS +OPEN +BYTES TO SERVER +BYTES TO CLIENTS/);
    expect(text).toMatch(/server1 +running +up +4 +1 +1\.0 KiB +2\.0 KiB/);
  });
});

describe('the dashboard in tcp mode', () => {
  it('shows connections, open ones and bytes in the header, and CONNS in the table', () => {
    const state = labState({
      mode: 'tcp',
      bytes: { toServers: 1_536, toClients: 2_048 },
      totals: { ratePerSec: 3, errorRate: 0, requests: 42, errors: 1, inFlight: 2 },
      servers: [serverRow('server1', { requests: 42 })],
    });
    const { lastFrame, unmount } = render(<DashboardView state={state} width={120} height={24} selected={0} actions={false} />);
    const frame = plain(lastFrame() ?? '');
    unmount();
    expect(frame).toContain('tcp mode  3 conn/s  open 2  total 42  refused 1  ↑ 1.5 KiB  ↓ 2.0 KiB');
    expect(frame).toMatch(/SERVER +STATE +HEALTH +CONNS +SHARE +CON\/S/);
  });
});
