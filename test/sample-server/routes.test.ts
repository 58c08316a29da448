import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, getJson, postJson, serverPool } from './start-server.js';

const pool = serverPool();
afterEach(() => pool.closeAll());

describe('sample server routes', () => {
  it('GET / (factorial app) returns the factorial of a random n in 100..1000', async () => {
    const low = await pool.start({}, { random: () => 0 });
    const lowReply = await getJson(`${low.url}/`);
    expect(lowReply.status).toBe(200);
    expect(lowReply.serverId).toBe('server1');
    expect(lowReply.body).toMatchObject({ server: 'server1', n: 100, digits: 158 });
    expect(lowReply.body.factorial).toHaveLength(158);
    expect(lowReply.body.factorial.startsWith('93326215443944152681')).toBe(true);

    const high = await pool.start({ name: 'server2' }, { random: () => 0.999_999 });
    const highReply = await getJson(`${high.url}/`);
    expect(highReply.body).toMatchObject({ server: 'server2', n: 1000, digits: 2568 });
    expect(highReply.body.factorial).toHaveLength(2568);
  });

  it('GET / (greeting app) answers like /home', async () => {
    const server = await pool.start({ app: 'greeting', name: 'g1' });
    const reply = await getJson(`${server.url}/`);
    expect(reply).toEqual({ status: 200, serverId: 'g1', body: { message: 'Hello from server: g1', status: 'successful' } });
  });

  it('GET /factorial/:n computes n! exactly and validates n', async () => {
    const server = await pool.start();
    expect((await getJson(`${server.url}/factorial/0`)).body).toEqual({ server: 'server1', n: 0, digits: 1, factorial: '1' });
    expect((await getJson(`${server.url}/factorial/20`)).body).toEqual({
      server: 'server1',
      n: 20,
      digits: 19,
      factorial: '2432902008176640000',
    });
    const max = await getJson(`${server.url}/factorial/5000`);
    expect(max.status).toBe(200);
    expect(max.body.digits).toBe(16326);

    for (const [value, shown] of [
      ['5001', '"5001"'],
      ['-1', '"-1"'],
      ['1.5', '"1.5"'],
      ['abc', '"abc"'],
      ['', '""'],
    ] as const) {
      const reply = await getJson(`${server.url}/factorial/${value}`);
      expect(reply).toEqual({
        status: 400,
        serverId: 'server1',
        body: {
          status: 'failure',
          message: `Invalid path parameter n ${shown}: expected an integer from 0 to 5000`,
          server: 'server1',
        },
      });
    }
  });

  it('serves /home, /heartbeat, /health and /login', async () => {
    const server = await pool.start();
    expect(await getJson(`${server.url}/home`)).toEqual({
      status: 200,
      serverId: 'server1',
      body: { message: 'Hello from server: server1', status: 'successful' },
    });
    expect(await getJson(`${server.url}/heartbeat`)).toEqual({
      status: 200,
      serverId: 'server1',
      body: { status: 'successful', server: 'server1' },
    });
    expect(await getJson(`${server.url}/health`)).toEqual({ status: 200, serverId: 'server1', body: { status: 'up', server: 'server1' } });
    expect(await getJson(`${server.url}/login`)).toEqual({
      status: 200,
      serverId: 'server1',
      body: { message: 'Login page of server1', status: 'successful' },
    });
  });

  it('HEAD is served like GET without a body', async () => {
    const server = await pool.start();
    const response = await fetch(`${server.url}/home`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-server-id')).toBe('server1');
    expect(await response.text()).toBe('');
  });

  it.each(['register', 'changePassword'] as const)('POST /%s answers 201, 403 or 400 by username', async (route) => {
    const server = await pool.start({ username: 'alice' });
    const ok = await getJson(`${server.url}/${route}?username=alice`, { method: 'POST' });
    expect(ok.status).toBe(201);
    expect(ok.serverId).toBe('server1');
    expect(ok.body).toEqual({
      message:
        route === 'register' ? 'User "alice" registered on server server1' : 'Password changed for user "alice" on server server1',
      status: 'successful',
      server: 'server1',
    });

    expect(await getJson(`${server.url}/${route}?username=bob`, { method: 'POST' })).toEqual({
      status: 403,
      serverId: 'server1',
      body: { status: 'failure', message: 'User "bob" does not belong to server server1', server: 'server1' },
    });

    for (const query of ['', '?username=', '?user=alice']) {
      expect(await getJson(`${server.url}/${route}${query}`, { method: 'POST' })).toEqual({
        status: 400,
        serverId: 'server1',
        body: { status: 'failure', message: 'Missing query parameter "username": expected ?username=<name>', server: 'server1' },
      });
    }
  });

  it('POST / and PUT / echo the JSON body', async () => {
    const server = await pool.start();
    const payload = { a: 1, list: [1, 'two', null], nested: { ok: true } };
    expect(await postJson(`${server.url}/`, payload)).toEqual({
      status: 200,
      serverId: 'server1',
      body: { server: 'server1', method: 'POST', received: payload },
    });
    expect(await postJson(`${server.url}/`, 'text', 'PUT')).toEqual({
      status: 200,
      serverId: 'server1',
      body: { server: 'server1', method: 'PUT', received: 'text' },
    });
  });

  it('POST / with bad JSON answers 400 naming the body and the parse error', async () => {
    const server = await pool.start();
    const reply = await getJson(`${server.url}/`, { method: 'POST', body: '{"a":' });
    expect(reply.status).toBe(400);
    expect(reply.serverId).toBe('server1');
    expect(reply.body.status).toBe('failure');
    expect(reply.body.server).toBe('server1');
    expect(reply.body.message).toMatch(/^Request body is not valid JSON: \S/);

    const empty = await getJson(`${server.url}/`, { method: 'PUT' });
    expect(empty.body.message).toBe('Request body is not valid JSON: Unexpected end of JSON input');
  });

  it('answers 413 for a body over 16 MiB', async () => {
    const server = await pool.start();
    const reply = await new Promise<{ status: number; serverId: unknown; body: unknown }>((resolve, reject) => {
      const req = request(`${server.url}/`, { method: 'POST', headers: { 'content-length': String(16 * 1024 * 1024 + 1) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, serverId: res.headers['x-server-id'], body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(reply).toEqual({
      status: 413,
      serverId: 'server1',
      body: { status: 'failure', message: 'Request body is larger than 16777216 bytes', server: 'server1' },
    });
  });

  it('answers 404 for unknown routes and 405 for a known path with another method', async () => {
    const server = await pool.start();
    expect(await getJson(`${server.url}/nope?x=1`)).toEqual({
      status: 404,
      serverId: 'server1',
      body: { status: 'failure', message: 'Not found: GET /nope', server: 'server1' },
    });
    expect(await getJson(`${server.url}/_lab/nope`)).toEqual({
      status: 404,
      serverId: 'server1',
      body: { status: 'failure', message: 'Not found: GET /_lab/nope', server: 'server1' },
    });
    const response = await fetch(`${server.url}/home`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(response.headers.get('x-server-id')).toBe('server1');
    expect(await response.json()).toEqual({
      status: 'failure',
      message: 'Method DELETE not allowed for /home: expected GET',
      server: 'server1',
    });
  });

  it('GET /_lab/stats counts traffic but not /_lab/* or /health', async () => {
    let nowMs = Date.parse('2030-01-02T03:04:05.000Z');
    const server = await pool.start({}, { now: () => nowMs });
    nowMs += 1000;
    await getJson(`${server.url}/home`);
    await getJson(`${server.url}/home`);
    await getJson(`${server.url}/factorial/3`);
    await getJson(`${server.url}/nope`);
    await getJson(`${server.url}/health`);
    await getJson(`${server.url}/_lab/fault`);
    const stats = await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.inFlight === 0,
    );
    expect(stats).toEqual({
      status: 200,
      serverId: 'server1',
      body: {
        server: 'server1',
        app: 'factorial',
        requests: 4,
        inFlight: 0,
        peakInFlight: 1,
        queued: 0,
        byRoute: { 'GET /home': 2, 'GET /factorial/:n': 1, unmatched: 1 },
        byStatus: { '200': 3, '404': 1 },
        healthChecks: 1,
        fault: { errorRate: 0, latencyMs: 0, hang: false, healthToo: false, concurrency: 0 },
        startedAt: '2030-01-02T03:04:05.000Z',
      },
    });
  });

  it('logs requests only when logRequests is on, each line starting with an ISO timestamp', async () => {
    const quiet = await pool.start();
    await getJson(`${quiet.url}/home`);
    expect(quiet.logs).toEqual([]);

    const chatty = await pool.start({ name: 'loud', logRequests: true }, { now: () => Date.parse('2030-01-01T00:00:00.000Z') });
    await getJson(`${chatty.url}/home?x=1`);
    await eventually(async () => chatty.logs.length, (count) => count > 0);
    expect(chatty.logs).toHaveLength(1);
    expect(chatty.logs[0]).toMatch(/^2030-01-01T00:00:00\.000Z loud GET \/home\?x=1 200 \d+\.\dms$/);
  });
});
