import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { send } from '../fixtures/http-client.js';
import { onCleanup, serversOf, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';

useCleanup();

async function countByServer(urls: readonly string[], concurrency: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  onCleanup(async () => agent.destroy());
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next++] as string;
      const response = await send(url, { agent });
      expect(response.status).toBe(200);
      const server = String(response.headers['x-server-id']);
      counts.set(server, (counts.get(server) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

describe('distribution through the proxy', () => {
  it('round-robin sends 300 GET /home to 3 servers exactly 100 each', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ servers: serversOf(servers), algorithm: 'round-robin' });
    await waitForHealth(balancer, 'up');

    const counts = await countByServer(Array.from({ length: 300 }, () => `${balancer.url}/home`), 1);

    expect(Object.fromEntries(counts)).toEqual({ server1: 100, server2: 100, server3: 100 });
    expect(balancer.stats().servers.map((s) => [s.name, s.requests, s.successes, s.errors])).toEqual([
      ['server1', 100, 100, 0],
      ['server2', 100, 100, 0],
      ['server3', 100, 100, 0],
    ]);
  });

  // The 10,000-key spread is a pure algorithm test: test/balancer/algorithms/consistent-hash-spread.test.ts.

  it('consistent-hash sends the same id to the same server', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ servers: serversOf(servers), algorithm: 'consistent-hash' });
    await waitForHealth(balancer, 'up');

    const first = await send(`${balancer.url}/home?id=user-17`);
    for (let i = 0; i < 5; i++) {
      const again = await send(`${balancer.url}/home?id=user-17&i=${i}`);
      expect(again.headers['x-server-id']).toBe(first.headers['x-server-id']);
    }
  });
});
