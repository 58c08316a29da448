import net from 'node:net';

import { describe, expect, it } from 'vitest';

import { parseBalancerConfig } from '../../../balancer/config/config-parse.js';
import { send } from '../fixtures/http-client.js';
import { serversOf, serverStats, testBalancer, upstreams, useCleanup, waitForHealth } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';
import { closed, getOnNewConnection, halfCloseServer, keepAliveClient } from './tcp-fixtures.js';

useCleanup();

describe('tcp mode: one server per connection', () => {
  it('sends every request of a keep-alive connection to one server, and rotates new connections', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), algorithm: 'round-robin' });
    await waitForHealth(balancer, 'up');

    const client = keepAliveClient(balancer.url);
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(await client.get());
    expect(seen).toEqual(Array.from({ length: 6 }, () => 'server1'));

    const fresh: string[] = [];
    for (let i = 0; i < 6; i++) fresh.push(await getOnNewConnection(balancer.url));
    expect(fresh).toEqual(['server2', 'server3', 'server1', 'server2', 'server3', 'server1']);

    expect(servers.map((s) => s.requests.length)).toEqual([8, 2, 2]);
    const stats = await waitFor(() => (balancer.stats().connections?.open === 1 ? balancer.stats() : undefined), {
      what: 'the fresh connections to close',
    });
    expect(stats.mode).toBe('tcp');
    expect(stats.connections).toMatchObject({ open: 1, total: 7, refused: 0 });
    expect(stats.servers.map((s) => [s.name, s.connections, s.openConnections, s.inFlight])).toEqual([
      ['server1', 3, 1, 1],
      ['server2', 2, 0, 0],
      ['server3', 2, 0, 0],
    ]);
    const server1 = serverStats(balancer, 'server1');
    expect(server1?.bytesToServer).toBeGreaterThan(6 * 'GET /home HTTP/1.1\r\n'.length);
    expect(server1?.bytesToClient).toBeGreaterThan(8 * 'hello from server1'.length);
  });

  it('closes a client connection when its server dies, and sends new connections elsewhere', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), algorithm: 'round-robin' });
    await waitForHealth(balancer, 'up');

    const client = keepAliveClient(balancer.url);
    expect(await client.get()).toBe('server1');
    const socket = client.socket;
    expect(socket).toBeDefined();

    await servers[0]?.close();
    await closed(socket as net.Socket);
    await waitForHealth(balancer, 'down', ['server1']);

    const fresh: string[] = [];
    for (let i = 0; i < 4; i++) fresh.push(await getOnNewConnection(balancer.url));
    expect(fresh).not.toContain('server1');
    expect(new Set(fresh)).toEqual(new Set(['server2', 'server3']));
    expect(balancer.logs.some((line) => /health server1 up -> down \(2 failed checks: ECONNREFUSED\)/.test(line))).toBe(true);
  });

  it('closes the relayed connections of a server its HTTP check marks down, though the server still runs', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), health: { check: 'http' } });
    await waitForHealth(balancer, 'up');

    const client = keepAliveClient(balancer.url);
    expect(await client.get()).toBe('server1');
    (servers[0] as { health: { status?: number } }).health = { status: 500 };

    await closed(client.socket as net.Socket);
    await waitForHealth(balancer, 'down', ['server1']);
    expect(balancer.logs.some((line) => line.endsWith('closed 1 connection of server1 (marked down)'))).toBe(true);
    expect(await client.get()).toBe('server2');
  });

  it('tries another server when a connect is refused, before any byte is sent', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), health: { enabled: false } });
    await servers[0]?.close();

    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(await getOnNewConnection(balancer.url));

    expect(seen).not.toContain('server1');
    const failures = serverStats(balancer, 'server1')?.connectFailures ?? 0;
    expect(failures).toBeGreaterThan(0);
    expect(serverStats(balancer, 'server1')?.connections).toBe(0);
    expect(balancer.stats().connections).toMatchObject({ total: 6, refused: 0 });
    expect(balancer.logs.filter((line) => line.includes('tcp connect to server1 failed: ECONNREFUSED; trying another server'))).toHaveLength(failures);
  });

  it('passes a half-close on: the server answers after the client has ended its side', async () => {
    const raw = await halfCloseServer();
    const balancer = await testBalancer({ mode: 'tcp', servers: [{ name: 'raw', url: raw.url }] });
    await waitForHealth(balancer, 'up');

    const socket = net.connect({ host: '127.0.0.1', port: balancer.port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    socket.write('hello ');
    socket.end('world');
    await ended;
    socket.destroy();

    expect(Buffer.concat(chunks).toString('utf8')).toBe('got 11 bytes: hello world');
    // The other connections are the TCP health checks, which send nothing.
    expect(raw.received.filter((text) => text !== '')).toEqual(['hello world']);
    const stats = await waitFor(() => (balancer.stats().connections?.open === 0 ? balancer.stats() : undefined), {
      what: 'the relay to close',
    });
    expect(stats.servers[0]).toMatchObject({ connections: 1, openConnections: 0, bytesToServer: 11, bytesToClient: 25 });
  });

  it('checks servers with a TCP connect by default', async () => {
    const raw = await halfCloseServer();
    const balancer = await testBalancer({ mode: 'tcp', servers: [{ name: 'raw', url: raw.url }] });
    expect(balancer.config.health.check).toBe('tcp');
    // An HTTP check could not pass: the server answers no HTTP.
    await waitForHealth(balancer, 'up');
  });

  it('hashes the client address with consistent-hash: every connection from 127.0.0.1 reaches one server', async () => {
    const servers = await upstreams(3);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), algorithm: 'consistent-hash' });
    await waitForHealth(balancer, 'up');
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(await getOnNewConnection(balancer.url, `/home?id=${i}`));
    expect(seen.size).toBe(1);
  });

  it('first-available gives each server one connection at a time; the next waits for a free server', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), algorithm: 'first-available' });
    await waitForHealth(balancer, 'up');
    const first = keepAliveClient(balancer.url);
    const second = keepAliveClient(balancer.url);
    expect(await first.get()).toBe('server1');
    expect(await second.get()).toBe('server2');

    const third = getOnNewConnection(balancer.url);
    await waitFor(() => balancer.stats().connections?.queued === 1, { what: 'the third connection to wait' });
    (first.socket as net.Socket).destroy();
    expect(await third).toBe('server1');
  });

  it('counts open connections for least-connections', async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers), algorithm: 'least-connections' });
    await waitForHealth(balancer, 'up');
    const held = keepAliveClient(balancer.url);
    const heldOn = await held.get();
    const other = heldOn === 'server1' ? 'server2' : 'server1';
    for (let i = 0; i < 3; i++) {
      expect(await getOnNewConnection(balancer.url)).toBe(other);
      await waitFor(() => balancer.stats().connections?.open === 1, { what: 'the fresh connection to close' });
    }
  });

  it('serves the tcp counts on /metrics', async () => {
    const servers = await upstreams(1);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers) });
    await waitForHealth(balancer, 'up');
    await getOnNewConnection(balancer.url);
    const metrics = await waitFor(
      async () => {
        const text = (await send(`${balancer.adminUrl}/metrics`)).text;
        return text.includes('lblab_tcp_connections_open{server="server1"} 0') ? text : undefined;
      },
      { what: 'the connection to close' },
    );
    expect(metrics).toContain('lblab_tcp_connections_total{server="server1"} 1');
    expect(metrics).toMatch(/lblab_tcp_bytes_total\{server="server1",direction="to_client"\} [1-9]/);
  });
});

describe('tcp mode: algorithms', () => {
  it('refuses least-response-time at start, naming the mode and the algorithms allowed', () => {
    expect(() => parseBalancerConfig({ mode: 'tcp', algorithm: 'least-response-time' })).toThrow(
      'config.algorithm: algorithm "least-response-time" does not work in tcp mode (it needs the response time of each request, which a TCP relay does not see); ' +
        'algorithms in tcp mode: round-robin, weighted-round-robin, least-connections, random, power-of-two, consistent-hash, first-available, maglev',
    );
  });

  it('refuses a switch to least-response-time with a 400 and keeps the algorithm', async () => {
    const servers = await upstreams(1);
    const balancer = await testBalancer({ mode: 'tcp', servers: serversOf(servers) });
    const response = await send(`${balancer.adminUrl}/algorithm`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ algorithm: 'least-response-time' }),
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('algorithm: algorithm \\"least-response-time\\" does not work in tcp mode');
    expect(balancer.stats().algorithm).toBe('round-robin');
  });

  it('checks with a TCP connect by default in tcp mode only, and keeps an explicit check', () => {
    expect(parseBalancerConfig({ mode: 'tcp' }).config).toMatchObject({ mode: 'tcp', health: { check: 'tcp' } });
    expect(parseBalancerConfig({ mode: 'tcp', health: { check: 'http' } }).config.health.check).toBe('http');
    const http = parseBalancerConfig({}).config;
    expect(http.mode).toBeUndefined();
    expect(http.health.check).toBeUndefined();
    expect(() => parseBalancerConfig({ health: { check: 'udp' } })).toThrow('config.health.check must be one of http, tcp, got "udp"');
  });

  it('refuses an unknown mode', () => {
    expect(() => parseBalancerConfig({ mode: 'udp' })).toThrow('config.mode must be one of http, tcp, got "udp"');
  });
});
