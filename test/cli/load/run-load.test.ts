import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../../cli/load/run-load.js';
import { NO_RESPONSE, NO_SERVER_ID } from '../../../cli/load/load-result.js';
import type { LoadTick } from '../../../cli/load/types.js';
import { refusedPortUrl, startTestServer, type TestServer, type TestServerOptions } from './fixtures/test-server.js';

const servers: TestServer[] = [];
async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const started = await startTestServer(options);
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('runLoad, closed model', () => {
  it('sends exactly the requests asked for and counts them per X-Server-Id', async () => {
    const target = await server({ ids: ['server1', 'server2', 'server3'] });
    const run = runLoad({ url: target.url, path: '/home', model: { kind: 'closed', requests: 1000, concurrency: 50 }, timeoutMs: 5000 });
    const events: string[] = [];
    const ticks: LoadTick[] = [];
    run.on('start', () => events.push('start'));
    run.on('tick', (tick) => ticks.push(tick));
    run.on('done', () => events.push('done'));
    const result = await run.result;

    expect(events).toEqual(['start', 'done']);
    expect(result.requests).toBe(1000);
    expect(result.scheduled).toBe(1000);
    expect(result.errors).toBe(0);
    expect(result.dropped).toBe(0);
    expect(result.cancelled).toBe(0);
    expect(result.byStatus).toEqual({ '200': 1000 });
    const byServer = Object.fromEntries(Object.entries(result.byServer).map(([name, s]) => [name, s.requests]));
    expect(byServer).toEqual(Object.fromEntries(target.counts));
    expect(Object.values(byServer).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(target.paths.every((p) => p === '/home')).toBe(true);
    expect(run.endReason).toBe('completed');

    expect(result.ticks).toEqual(ticks);
    expect(ticks.at(-1)?.totalRequests).toBe(1000);
    const tickSum = ticks.reduce((sum, t) => sum + Object.values(t.byServer).reduce((a, b) => a + b, 0), 0);
    expect(tickSum).toBe(1000);
    expect(result.latency.p50Ms).toBeGreaterThan(0);
    expect(result.latency.p50Ms).toBeLessThanOrEqual(result.latency.p99Ms);
    expect(result.latency.p99Ms).toBeLessThanOrEqual(result.latency.maxMs);
    expect(run.histograms.overall.totalCount).toBe(1000);
  });

  it('counts 5xx responses as errors, per server and per status', async () => {
    const target = await server({ ids: ['server1', 'server2'], reply: (n) => ({ status: n % 4 === 3 ? 500 : 200 }) });
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 200, concurrency: 1 } }).result;
    expect(result.requests).toBe(200);
    expect(result.errors).toBe(50);
    expect(result.byStatus).toEqual({ '200': 150, '500': 50 });
    expect(result.byServer['server2']).toMatchObject({ requests: 100, errors: 50 });
    expect(result.byServer['server1']).toMatchObject({ requests: 100, errors: 0 });
  });

  it('counts requests to a refused port as errors with their code, under "(no response)"', async () => {
    const url = await refusedPortUrl();
    const result = await runLoad({ url, model: { kind: 'closed', requests: 20, concurrency: 4 } }).result;
    expect(result.requests).toBe(20);
    expect(result.errors).toBe(20);
    expect(result.byStatus).toEqual({ error: 20 });
    expect(result.byErrorCode).toEqual({ ECONNREFUSED: 20 });
    expect(result.byServer).toEqual({ [NO_RESPONSE]: { requests: 20, errors: 20, latency: { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 } } });
  });

  it('puts responses without X-Server-Id under "(none)"', async () => {
    const target = await server({ reply: () => ({ serverId: null }) });
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 10, concurrency: 2 } }).result;
    expect(Object.keys(result.byServer)).toEqual([NO_SERVER_ID]);
    expect(result.byServer[NO_SERVER_ID]?.requests).toBe(10);
  });

  it('records a timed-out request as an error with the undici code', async () => {
    const target = await server({ reply: (n) => (n === 0 ? { hang: true } : {}) });
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 3, concurrency: 1 }, timeoutMs: 100 }).result;
    expect(result.requests).toBe(3);
    expect(result.byErrorCode).toEqual({ UND_ERR_HEADERS_TIMEOUT: 1 });
    expect(result.byStatus).toEqual({ '200': 2, error: 1 });
  });

  it('records a request whose body stops arriving as an error with the undici code', async () => {
    const target = await server({ reply: (n) => (n === 1 ? { hangInBody: true } : {}) });
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 3, concurrency: 1 }, timeoutMs: 100 }).result;
    expect(result.requests).toBe(3);
    expect(result.byErrorCode).toEqual({ UND_ERR_BODY_TIMEOUT: 1 });
    expect(result.byStatus).toEqual({ '200': 2, error: 1 });
  });

  it('counts time waiting for a free connection against no timeout: only time on the connection counts', async () => {
    // 20 requests over 1 connection, 50 ms each: the last waits about 1 s for the connection, 10 times timeoutMs.
    const target = await server({ reply: () => ({ delayMs: 50 }) });
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 20, concurrency: 20 }, connections: 1, timeoutMs: 400 }).result;
    expect(result.requests).toBe(20);
    expect(result.byStatus).toEqual({ '200': 20 });
  });

  it('reads X-Server-Id whatever the case of its name', async () => {
    const target = await server({ ids: ['server1', 'server2'], serverIdHeader: 'X-SERVER-ID' });
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 10, concurrency: 2 } }).result;
    expect(Object.fromEntries(Object.entries(result.byServer).map(([name, s]) => [name, s.requests]))).toEqual({ server1: 5, server2: 5 });
  });

  it('sends the method, headers and body', async () => {
    const target = await server();
    const result = await runLoad({
      url: target.url,
      path: '/add',
      method: 'post',
      headers: { 'content-type': 'application/json' },
      body: '{"n":1}',
      model: { kind: 'closed', requests: 3, concurrency: 1 },
    }).result;
    expect(result.requests).toBe(3);
    expect(target.bodies).toEqual(['{"n":1}', '{"n":1}', '{"n":1}']);
  });
});

describe('runLoad, key spread', () => {
  it('appends sequential keys, with & when the path has a query', async () => {
    const target = await server();
    await runLoad({
      url: target.url,
      path: '/home?x=1',
      keys: { param: 'id', count: 3, distribution: 'sequential' },
      model: { kind: 'closed', requests: 5, concurrency: 1 },
    }).result;
    expect(target.paths).toEqual(['/home?x=1&id=0', '/home?x=1&id=1', '/home?x=1&id=2', '/home?x=1&id=0', '/home?x=1&id=1']);
  });

  it('draws uniform keys from the seeded random source: the same seed gives the same keys', async () => {
    const first = await server();
    const second = await server();
    const options = { path: '/home', keys: { param: 'id', count: 1000, distribution: 'uniform' }, seed: 42 } as const;
    await runLoad({ ...options, url: first.url, model: { kind: 'closed', requests: 20, concurrency: 1 } }).result;
    await runLoad({ ...options, url: second.url, model: { kind: 'closed', requests: 20, concurrency: 1 } }).result;
    expect(first.paths).toEqual(second.paths);
    expect(new Set(first.paths).size).toBeGreaterThan(10);
    expect(first.paths.every((p) => /^\/home\?id=\d{1,3}$/.test(p))).toBe(true);
  });
});

describe('runLoad, open model', () => {
  it('sends exactly the scheduled requests and emits ticks', async () => {
    const target = await server({ ids: ['server1', 'server2'] });
    const run = runLoad({ url: target.url, model: { kind: 'open', ratePerSec: 200, durationMs: 1000 }, tickIntervalMs: 250 });
    const ticks: LoadTick[] = [];
    run.on('tick', (tick) => ticks.push(tick));
    const result = await run.result;
    expect(result.scheduled).toBe(200);
    expect(result.requests).toBe(200);
    expect(result.dropped).toBe(0);
    expect(result.byServer['server1']?.requests).toBe(100);
    expect(result.byServer['server2']?.requests).toBe(100);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.slice(0, 3).map((t) => t.atMs)).toEqual([250, 500, 750]);
    expect(ticks.at(-1)?.totalRequests).toBe(200);
  });

  it('drops requests due while maxInFlight are in flight, and reports them', async () => {
    const target = await server({ reply: () => ({ delayMs: 300 }) });
    const result = await runLoad({ url: target.url, model: { kind: 'open', ratePerSec: 200, durationMs: 500, maxInFlight: 10 } }).result;
    expect(result.scheduled).toBe(100);
    expect(result.dropped).toBeGreaterThan(0);
    expect(result.requests + result.dropped).toBe(100);
    expect(result.ticks.at(-1)?.totalDropped).toBe(result.dropped);
  });

  it('corrects for coordinated omission: a 500 ms stall shows in many latencies, unlike the closed model', async () => {
    // The server stalls once: every request that arrives in the 500 ms after request #100 waits until the stall ends.
    const stallingServer = (): Promise<TestServer> => {
      let stalledUntilMs = 0;
      return server({
        reply: (n) => {
          const nowMs = Date.now();
          if (n === 100) stalledUntilMs = nowMs + 500;
          return { delayMs: Math.max(0, stalledUntilMs - nowMs) };
        },
      });
    };
    const closedTarget = await stallingServer();
    const closed = runLoad({ url: closedTarget.url, model: { kind: 'closed', requests: 400, concurrency: 1 } });
    const closedResult = await closed.result;
    const openTarget = await stallingServer();
    const open = runLoad({ url: openTarget.url, model: { kind: 'open', ratePerSec: 200, durationMs: 2000 }, connections: 50 });
    const openResult = await open.result;

    expect(closedResult.requests).toBe(400);
    expect(openResult.requests).toBe(400);
    const closedHistogram = closed.histograms.overall;
    const openHistogram = open.histograms.overall;
    // Closed model: only the one stalled request saw the stall, so at most 1 of 400 (0.25 %) is >= 400 ms.
    expect(closedHistogram.getValueAtPercentile(99.5)).toBeLessThan(400_000);
    expect(closedHistogram.maxValue).toBeGreaterThanOrEqual(400_000);
    // Open model: requests due in the first ~100 ms of the stall all waited >= 400 ms: at least 10 of 400 (2.5 %).
    expect(openHistogram.getValueAtPercentile(97.5)).toBeGreaterThanOrEqual(400_000);
    expect(openResult.latency.p99Ms).toBeGreaterThan(closedResult.latency.p99Ms);
    expect(openResult.latency.p99Ms).toBeGreaterThanOrEqual(400);
  });
});

describe('runLoad, ending early', () => {
  it('stop() ends the run gracefully: nothing new is sent, requests in flight complete', async () => {
    const target = await server();
    const run = runLoad({ url: target.url, model: { kind: 'closed', requests: 1_000_000, concurrency: 10 }, tickIntervalMs: 100 });
    run.once('tick', () => run.stop());
    const result = await run.result;
    expect(run.endReason).toBe('stopped');
    expect(result.requests).toBeLessThan(1_000_000);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.cancelled).toBe(0);
    expect(result.requests).toBe([...target.counts.values()].reduce((a, b) => a + b, 0));
  });

  it('maxDurationMs bounds a run against a hanging server; requests in flight are cancelled', async () => {
    const target = await server({ reply: () => ({ hang: true }) });
    const run = runLoad({ url: target.url, model: { kind: 'closed', requests: 10, concurrency: 5 }, timeoutMs: 60_000, maxDurationMs: 300 });
    const result = await run.result;
    expect(run.endReason).toBe('deadline');
    expect(result.requests).toBe(0);
    expect(result.cancelled).toBe(5);
    expect(run.inFlight).toBe(0);
  });

  it('an aborted signal cancels the run', async () => {
    const target = await server({ reply: (n) => (n >= 20 ? { hang: true } : {}) });
    const controller = new AbortController();
    const run = runLoad({ url: target.url, model: { kind: 'open', ratePerSec: 100, durationMs: 60_000 }, signal: controller.signal, timeoutMs: 60_000, tickIntervalMs: 100 });
    run.on('tick', (tick) => {
      if (tick.totalRequests >= 20) controller.abort();
    });
    const result = await run.result;
    expect(run.endReason).toBe('aborted');
    expect(result.requests).toBe(20);
    // Every request sent was answered or cancelled. One cancelled while its connection was still opening never reached the server.
    expect(result.requests + result.cancelled).toBeGreaterThanOrEqual(target.paths.length);
    expect(run.inFlight).toBe(0);
  });

  it('a signal aborted before the start sends nothing', async () => {
    const target = await server();
    const result = await runLoad({ url: target.url, model: { kind: 'closed', requests: 10, concurrency: 1 }, signal: AbortSignal.abort() }).result;
    expect(result.requests).toBe(0);
    expect(target.paths).toEqual([]);
  });
});

describe('runLoad, options', () => {
  it.each([
    [{ model: { kind: 'closed', requests: 0, concurrency: 1 } }, 'Load option model.requests must be an integer from 1 to 100000000, received 0'],
    [{ model: { kind: 'closed', requests: 10, concurrency: 1.5 } }, 'Load option model.concurrency must be an integer from 1 to 10000, received 1.5'],
    [{ model: { kind: 'open', ratePerSec: -1, durationMs: 10 } }, 'Load option model.ratePerSec must be a number above 0 and at most 1000000, received -1'],
    [{ url: 'localhost:8080' }, 'Load option url must be an http or https URL, received "localhost:8080"'],
    [{ url: 'nope' }, 'Load option url must be an absolute http URL, received "nope"'],
    [{ path: 'home' }, 'Load option path must be a path starting with "/", received "home"'],
    [{ path: '/a b' }, 'Load option path must be free of spaces and control characters (percent-encode them), received "/a b"'],
    [{ method: 'GE T' }, 'Load option method must be an HTTP method name (letters, digits, ! # $ % & \' * + - . ^ _ ` | ~), received "GE T"'],
    [{ headers: { 'a b': '1' } }, 'Load option headers must be names that are HTTP tokens (letters, digits, ! # $ % & \' * + - . ^ _ ` | ~), received "a b"'],
    [{ headers: { 'x-a': 'one\r\ntwo' } }, 'Load option headers.x-a must be a string without control characters other than tab, received "one\\r\\ntwo"'],
    [{ keys: { param: 'a b', count: 3, distribution: 'uniform' } }, 'Load option keys.param must be a query parameter name (letters, digits, _ . ~ -), received "a b"'],
  ])('rejects %j', (override, message) => {
    const options = { url: 'http://127.0.0.1:1', model: { kind: 'closed', requests: 1, concurrency: 1 }, ...override } as Parameters<typeof runLoad>[0];
    expect(() => runLoad(options)).toThrow(expect.objectContaining({ code: 'LBLAB_BAD_INPUT', message }));
  });
});
