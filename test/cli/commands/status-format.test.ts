import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../cli/commands/status.js';
import type { LabStatus, ServerStatus } from '../../../cli/lab/status.js';

function server(name: string, overrides: Partial<ServerStatus> = {}): ServerStatus {
  return {
    name,
    state: 'running',
    health: 'up',
    requests: 0,
    errors: 0,
    inFlight: 0,
    avgLatencyMs: 0,
    p99LatencyMs: 0,
    registered: true,
    member: true,
    ...overrides,
  };
}

function lab(servers: ServerStatus[], balancer: Partial<LabStatus['balancer']> = {}): LabStatus {
  return {
    lab: 'lblab',
    runtime: 'process',
    algorithm: 'round-robin',
    balancer: { kind: 'lblab', adminAuth: 'token', url: 'http://127.0.0.1:8080', adminUrl: 'http://127.0.0.1:8081', state: 'running', reachable: true, ...balancer },
    servers,
  };
}

const rowOf = (text: string, name: string): string => text.split('\n').find((line) => line.startsWith(`${name} `)) ?? '';

describe('formatStatus', () => {
  it("shows the runtime's fact and the balancer's side by side, and what to do about each", () => {
    const text = formatStatus(
      lab([
        server('server1'),
        server('server3', { registered: false, health: 'down' }),
        server('server9', { member: false, state: 'missing', health: 'down' }),
      ]),
    );
    expect(rowOf(text, 'server1')).toMatch(/^server1 +running +up /);
    expect(rowOf(text, 'server3')).toMatch(/^server3 +running, not registered +- /);
    expect(rowOf(text, 'server9')).toMatch(/^server9 +registered, no such member +down /);
    expect(text).toContain('not registered: server3; register with `lblab add server3` or remove with `lblab rm server3`');
    expect(text).toContain('registered but no member of the lab: server9; deregister with `lblab rm server9`');
  });

  it('shows no latency, not 0, for a server that has answered nothing', () => {
    const text = formatStatus(lab([server('server1', { requests: 3, avgLatencyMs: 2.25, p99LatencyMs: 4 }), server('server2')]));
    expect(rowOf(text, 'server1')).toMatch(/ 3 +0 +0 +2\.3 +4\.0$/);
    expect(rowOf(text, 'server2')).toMatch(/ 0 +0 +0 +– +–$/);
  });

  it('says when the balancer is down and how to bring it back', () => {
    const text = formatStatus(lab([server('server1', { health: 'unknown', registered: false })], { state: 'stopped', reachable: false }));
    expect(text.split('\n')[1]).toBe(
      'balancer  lblab  http://127.0.0.1:8080  admin http://127.0.0.1:8081  stopped: the lab serves nothing; bring it back with `lblab revive balancer`',
    );
    expect(rowOf(text, 'server1')).toMatch(/^server1 +running +unknown /);
    expect(text).not.toContain('not registered');
  });

  it('shows the workers of a balancer run with several, and that round-robin is exact per worker only', () => {
    const text = formatStatus({ ...lab([server('server1')]), workers: 2 });
    expect(text.split('\n')[2]).toMatch(/^workers: 2 \(processes sharing the data port; each balances on its own: round-robin is exact per worker, not across them/);
    expect(formatStatus(lab([server('server1')]))).not.toContain('workers:');
  });
});
