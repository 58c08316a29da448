import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultPatch } from '../../sample-server/fault.js';
import { eventually, getJson, postJson, serverPool } from './start-server.js';

const pool = serverPool();
afterEach(() => pool.closeAll());

const NONE = { errorRate: 0, latencyMs: 0, hang: false, healthToo: false, concurrency: 0 };

describe('fault API (/_lab/fault)', () => {
  it('shows, merges and clears the fault, and logs each change', async () => {
    const server = await pool.start({}, { now: () => Date.parse('2030-01-01T00:00:00.000Z') });
    const url = `${server.url}/_lab/fault`;
    expect(await getJson(url)).toEqual({ status: 200, serverId: 'server1', body: { server: 'server1', fault: NONE } });

    expect((await postJson(url, { errorRate: 0.3, latencyMs: '100-300' })).body).toEqual({
      server: 'server1',
      fault: { ...NONE, errorRate: 0.3, latencyMs: [100, 300] },
    });
    // Fields left out keep their value.
    expect((await postJson(url, { latencyMs: 200, healthToo: true })).body.fault).toEqual({
      ...NONE,
      errorRate: 0.3,
      latencyMs: 200,
      healthToo: true,
    });
    expect((await postJson(url, { latencyMs: [5, 10] })).body.fault.latencyMs).toEqual([5, 10]);
    expect((await getJson(url)).body.fault).toEqual({ errorRate: 0.3, latencyMs: [5, 10], hang: false, healthToo: true, concurrency: 0 });

    const cleared = await getJson(url, { method: 'DELETE' });
    expect(cleared).toEqual({ status: 200, serverId: 'server1', body: { server: 'server1', fault: NONE } });

    expect(server.logs).toEqual([
      '2030-01-01T00:00:00.000Z server1 fault errorRate=0.3 latencyMs=100-300 hang=false healthToo=false',
      '2030-01-01T00:00:00.000Z server1 fault errorRate=0.3 latencyMs=200 hang=false healthToo=true',
      '2030-01-01T00:00:00.000Z server1 fault errorRate=0.3 latencyMs=5-10 hang=false healthToo=true',
      '2030-01-01T00:00:00.000Z server1 fault none',
    ]);
  });

  it.each([
    [{ errorRate: 1.5 }, 'Invalid errorRate 1.5: expected a number from 0 to 1'],
    [{ errorRate: -0.1 }, 'Invalid errorRate -0.1: expected a number from 0 to 1'],
    [{ errorRate: 'lots' }, 'Invalid errorRate "lots": expected a number from 0 to 1'],
    [{ errorRate: null }, 'Invalid errorRate null: expected a number from 0 to 1'],
    [
      { latencyMs: -5 },
      'Invalid latencyMs -5: expected an integer number of milliseconds from 0 to 60000, a [min, max] pair or a "min-max" string, with min <= max',
    ],
    [
      { latencyMs: [300, 100] },
      'Invalid latencyMs [300,100]: expected an integer number of milliseconds from 0 to 60000, a [min, max] pair or a "min-max" string, with min <= max',
    ],
    [
      { latencyMs: '100-x' },
      'Invalid latencyMs "100-x": expected an integer number of milliseconds from 0 to 60000, a [min, max] pair or a "min-max" string, with min <= max',
    ],
    [
      { latencyMs: 60001 },
      'Invalid latencyMs 60001: expected an integer number of milliseconds from 0 to 60000, a [min, max] pair or a "min-max" string, with min <= max',
    ],
    [{ hang: 'maybe' }, 'Invalid hang "maybe": expected true or false'],
    // JSON has booleans and numbers: strings are for flags and env variables only.
    [{ hang: 'yes' }, 'Invalid hang "yes": expected true or false'],
    [{ healthToo: 'true' }, 'Invalid healthToo "true": expected true or false'],
    [{ errorRate: '0.5' }, 'Invalid errorRate "0.5": expected a number from 0 to 1'],
    [{ healthToo: 2 }, 'Invalid healthToo 2: expected true or false'],
    [{ error_rate: 0.3 }, 'Unknown fault field "error_rate": expected errorRate, latencyMs, hang, healthToo or concurrency'],
    [[1, 2], 'Invalid fault body [1,2]: expected a JSON object with errorRate, latencyMs, hang, healthToo or concurrency'],
    [null, 'Invalid fault body null: expected a JSON object with errorRate, latencyMs, hang, healthToo or concurrency'],
  ])('rejects %j with 400: %s', async (body, message) => {
    const server = await pool.start();
    expect(await postJson(`${server.url}/_lab/fault`, body)).toEqual({
      status: 400,
      serverId: 'server1',
      body: { status: 'failure', message, server: 'server1' },
    });
    // A rejected patch changes nothing.
    expect((await getJson(`${server.url}/_lab/fault`)).body.fault).toEqual(NONE);
  });

  it('refuses a long latency string before matching it (no quadratic pattern work)', () => {
    expect(() => parseFaultPatch({ latencyMs: `1${' '.repeat(100_000)}x` })).toThrow(/^Invalid latencyMs "1 {75}\.\.\.: expected an integer number/);
  });

  it('rejects a body that is not JSON', async () => {
    const server = await pool.start();
    const reply = await getJson(`${server.url}/_lab/fault`, { method: 'POST', body: 'errorRate=1' });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^Request body is not valid JSON: /);
  });

  it('parses the accepted latency forms', () => {
    expect(parseFaultPatch({ latencyMs: 0 })).toEqual({ latencyMs: { minMs: 0, maxMs: 0 } });
    expect(parseFaultPatch({ latencyMs: null })).toEqual({ latencyMs: { minMs: 0, maxMs: 0 } });
    expect(parseFaultPatch({ latencyMs: '200ms' })).toEqual({ latencyMs: { minMs: 200, maxMs: 200 } });
    expect(parseFaultPatch({ latencyMs: '100ms-300ms' })).toEqual({ latencyMs: { minMs: 100, maxMs: 300 } });
    expect(parseFaultPatch({ latencyMs: ' 100 - 300 ' })).toEqual({ latencyMs: { minMs: 100, maxMs: 300 } });
    expect(parseFaultPatch({ errorRate: 0.5, hang: true })).toEqual({ errorRate: 0.5, hang: true });
  });
});

describe('injected faults', () => {
  it('error rate 1 fails every request with 500, but not /health or /_lab/* unless healthToo', async () => {
    const server = await pool.start();
    await postJson(`${server.url}/_lab/fault`, { errorRate: 1 });
    for (let index = 0; index < 20; index += 1) {
      expect(await getJson(`${server.url}/home`)).toEqual({
        status: 500,
        serverId: 'server1',
        body: { status: 'failure', message: 'injected error', server: 'server1' },
      });
    }
    expect((await getJson(`${server.url}/nope`)).status).toBe(500);
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
    expect((await getJson(`${server.url}/_lab/stats`)).body.byStatus).toEqual({ '500': 21 });

    await postJson(`${server.url}/_lab/fault`, { healthToo: true });
    expect(await getJson(`${server.url}/health`)).toEqual({
      status: 500,
      serverId: 'server1',
      body: { status: 'failure', message: 'injected error', server: 'server1' },
    });
  });

  it('error rate 0 fails nothing', async () => {
    const server = await pool.start({ fault: { errorRate: 0, latencyMs: { minMs: 0, maxMs: 0 }, hang: false, healthToo: true, concurrency: 0 } });
    for (let index = 0; index < 20; index += 1) {
      expect((await getJson(`${server.url}/home`)).status).toBe(200);
    }
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
  });

  it('error rate follows the injected random source', async () => {
    const draws = [0.1, 0.9, 0.29, 0.31];
    const server = await pool.start({}, { random: () => draws.shift() ?? 0.99 });
    await postJson(`${server.url}/_lab/fault`, { errorRate: 0.3 });
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await getJson(`${server.url}/home`)).status);
    expect(statuses).toEqual([500, 200, 500, 200, 200]);
  });

  it('latency keeps responses successful and is shown in the fault state', async () => {
    const server = await pool.start({ fault: { errorRate: 0, latencyMs: { minMs: 5, maxMs: 15 }, hang: false, healthToo: false, concurrency: 0 } });
    expect((await getJson(`${server.url}/_lab/fault`)).body.fault.latencyMs).toEqual([5, 15]);
    for (const path of ['/home', '/health', '/factorial/10']) {
      const reply = await getJson(`${server.url}${path}`);
      expect(reply.status).toBe(200);
      expect(reply.serverId).toBe('server1');
    }
  });

  it('a client that gives up during latency leaves nothing in flight', async () => {
    const server = await pool.start();
    await postJson(`${server.url}/_lab/fault`, { latencyMs: 60_000 });
    await expect(fetch(`${server.url}/home`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    const stats = await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.inFlight === 0,
    );
    expect(stats.body).toMatchObject({ requests: 1, inFlight: 0, byStatus: {} });
  });

  it('hang reads the request and never answers; /_lab/* still answers', async () => {
    const server = await pool.start();
    await postJson(`${server.url}/_lab/fault`, { hang: true });
    const hung = fetch(`${server.url}/`, { method: 'POST', body: '{"a":1}', signal: AbortSignal.timeout(300) });
    const caught = hung.then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? error.name : String(error)),
    );
    const during = await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.inFlight === 1,
    );
    expect(during.body).toMatchObject({ requests: 1, inFlight: 1, byRoute: { 'POST /': 1 } });
    expect(await caught).toBe('TimeoutError');
    const after = await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.inFlight === 0,
    );
    expect(after.body).toMatchObject({ requests: 1, inFlight: 0, peakInFlight: 1, byStatus: {} });
  });

  it('hang applies to /health; close() destroys hung sockets', async () => {
    const server = await pool.start({ fault: { errorRate: 0, latencyMs: { minMs: 0, maxMs: 0 }, hang: true, healthToo: false, concurrency: 0 } });
    const hung = fetch(`${server.url}/health`).then(
      () => 'answered',
      () => 'failed',
    );
    await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.healthChecks === 1,
    );
    await server.close();
    expect(await hung).toBe('failed');
  });
});

describe('close()', () => {
  it('lets an answer in progress finish, then resolves', async () => {
    const server = await pool.start({ fault: { errorRate: 0, latencyMs: { minMs: 50, maxMs: 50 }, hang: false, healthToo: false, concurrency: 0 } });
    await getJson(`${server.url}/_lab/stats`); // leaves an idle keep-alive connection behind
    const pending = getJson(`${server.url}/home`);
    await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.inFlight === 1,
    );
    await server.close();
    expect(await pending).toEqual({
      status: 200,
      serverId: 'server1',
      body: { message: 'Hello from server: server1', status: 'successful' },
    });
    await expect(fetch(`${server.url}/home`)).rejects.toThrow();
  });
});
