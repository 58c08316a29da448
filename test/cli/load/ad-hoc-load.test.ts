import { afterEach, describe, expect, it } from 'vitest';
import { adHocModel, runAdHocLoad } from '../../../cli/load/ad-hoc-load.js';
import { formatHistogram, formatLoadReport } from '../../../cli/load/load-report.js';
import { startTestServer, type TestServer, type TestServerOptions } from './fixtures/test-server.js';

const servers: TestServer[] = [];
async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const base = { connections: 10, method: 'GET', headers: {}, timeoutMs: 5_000 } as const;

describe('runAdHocLoad', () => {
  it('sends -n requests and splits them by X-Server-Id, with every percentile and a histogram of every response', async () => {
    const target = await server({ ids: ['server1', 'server2', 'server3'], reply: (n) => ({ delayMs: n % 10 === 0 ? 20 : 0 }) });
    const result = await runAdHocLoad({ ...base, url: `${target.url}/home?x=1`, requests: 300 });

    expect(result.requests).toBe(300);
    expect(result.endReason).toBe('completed');
    expect(target.paths.every((p) => p === '/home?x=1')).toBe(true);
    expect(Object.fromEntries(result.servers.map((s) => [s.name, s.requests]))).toEqual(Object.fromEntries(target.counts));
    expect(result.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(300);
    const p = result.latency.percentilesMs;
    expect(Object.keys(p)).toEqual(['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9']);
    const ordered = [p['p50'], p['p75'], p['p90'], p['p95'], p['p99'], p['p99.9'], result.latency.maxMs] as number[];
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    // A tenth of the responses waited 20 ms: p95 and above see it.
    expect(p['p95']).toBeGreaterThanOrEqual(19);

    const report = formatLoadReport(result);
    expect(report).toContain('p99.9');
    expect(report).toMatch(/server1\s+100\s+33\.3%/);
    expect(report).toContain('█');
  });

  it('runs for -d and stops gracefully, counting nothing as cancelled', async () => {
    const target = await server({ ids: ['a', 'b'] });
    const ticks: number[] = [];
    const result = await runAdHocLoad({ ...base, url: target.url, durationMs: 300, onTick: (t) => ticks.push(t.atMs) });
    expect(result.endReason).toBe('completed');
    expect(result.cancelled).toBe(0);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.requests).toBe([...target.counts.values()].reduce((a, b) => a + b, 0));
    expect(ticks.length).toBeGreaterThan(0);
  });

  it('sends the method, headers and body asked for', async () => {
    const target = await server();
    const result = await runAdHocLoad({
      ...base,
      url: `${target.url}/register`,
      requests: 5,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      body: '{"n":5}',
    });
    expect(result.requests).toBe(5);
    expect(target.bodies).toEqual(Array(5).fill('{"n":5}'));
  });

  it('with --rate uses the open model and sends exactly rate × duration requests', async () => {
    const target = await server();
    const result = await runAdHocLoad({ ...base, url: target.url, requests: 20, ratePerSec: 200 });
    expect(result.model).toEqual({ kind: 'open', ratePerSec: 200, durationMs: 100, maxInFlight: 1000 });
    expect(result.requests + result.dropped).toBe(20);
  });
});

describe('adHocModel', () => {
  it('refuses -n with -d, naming both', () => {
    expect(() => adHocModel({ connections: 1, requests: 5, durationMs: 1000 })).toThrow(
      'give -n/--requests or -d/--duration, not both (got -n 5 and -d 1000ms)',
    );
  });

  it('bounds an open run in time', () => {
    expect(() => adHocModel({ connections: 1, requests: 10_000_000, ratePerSec: 1 })).toThrow(/more than the limit of 3600000ms/);
  });
});

describe('formatHistogram', () => {
  it('scales bars to the fullest bucket and shows each share', () => {
    const lines = formatHistogram([
      { fromMs: 1, toMs: 2, count: 30 },
      { fromMs: 2, toMs: 4, count: 0 },
      { fromMs: 4, toMs: 8, count: 10 },
    ]);
    expect(lines[0]).toContain('█'.repeat(30));
    expect(lines[0]).toContain('75.0%');
    expect(lines[1]).not.toContain('█');
    expect(lines[2]).toContain(`${'█'.repeat(10)} `);
    expect(lines[2]).toContain('25.0%');
  });
});
