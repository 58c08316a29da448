// The load generator's connection policy, through a real balancer in tcp mode:
// keep-alive connections are picked once, new connections per request rotate.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../../cli/load/run-load.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../../balancer/fixtures/test-balancer.js';

useCleanup();

async function tcpBalancer(): Promise<Awaited<ReturnType<typeof testBalancer>>> {
  const servers = await upstreams(3);
  const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), algorithm: 'round-robin' });
  await waitForHealth(balancer, 'up');
  return balancer;
}

describe('load connection policy', () => {
  it('keep-alive (the default): one connection at concurrency 1, so one server takes every request', async () => {
    const balancer = await tcpBalancer();
    const result = await runLoad({ url: balancer.url, path: '/home', model: { kind: 'closed', requests: 30, concurrency: 1 } }).result;

    expect(result.errors).toBe(0);
    expect(Object.entries(result.byServer).map(([name, counts]) => [name, counts.requests])).toEqual([['server1', 30]]);
    expect(balancer.stats().connections?.total).toBe(1);
  });

  it('new: a connection per request, so round-robin spreads the requests evenly', async () => {
    const balancer = await tcpBalancer();
    const result = await runLoad({ url: balancer.url, path: '/home', model: { kind: 'closed', requests: 30, concurrency: 1 }, connection: 'new' })
      .result;

    expect(result.errors).toBe(0);
    expect(Object.fromEntries(Object.entries(result.byServer).map(([name, counts]) => [name, counts.requests]))).toEqual({
      server1: 10,
      server2: 10,
      server3: 10,
    });
    expect(balancer.stats().connections?.total).toBe(30);
  });

  it('refuses an unknown policy, naming the option', () => {
    expect(() => runLoad({ url: 'http://127.0.0.1:1', model: { kind: 'closed', requests: 1, concurrency: 1 }, connection: 'close' as 'new' })).toThrow(
      'Load option connection must be "keep-alive" or "new", received "close"',
    );
  });
});
