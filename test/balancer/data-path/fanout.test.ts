import http, { type IncomingMessage, type ServerResponse } from 'node:http';

import { describe, expect, it } from 'vitest';

import { backoffCeilingMs } from '../../../balancer/data-path/backoff.js';
import { DEFAULT_FANOUT } from '../../../balancer/config/config.js';
import type { FanoutAttemptRecord } from '../../../balancer/data-path/fanout.js';
import { send, sendJson } from '../fixtures/http-client.js';
import { requestLines, sampleServers } from '../fixtures/sample-servers.js';
import { listenForTest, serverStats, serversOf, testBalancer, upstreams, useCleanup } from '../fixtures/test-balancer.js';
import { waitFor } from '../fixtures/wait-for.js';

useCleanup();

const NO_HEALTH_CHECKS = { enabled: false };
/** The injected random source of these tests: full jitter then waits exactly half the ceiling. */
const HALF = { random: () => 0.5, now: () => performance.now() };

interface FanoutFailure {
  status: 'failure';
  message: string;
  rounds: number;
  elapsedMs: number;
  attempts: FanoutAttemptRecord[];
  waitsMs: number[];
}

describe('POST fan-out', () => {
  it('answers 201 from server2 while server1 hangs, without waiting for it, and cancels the hung attempt', async () => {
    const servers = await sampleServers(3);
    // Waiting for the hang would take upstreamTimeoutMs (20 s); the client gives up after 5 s.
    const balancer = await testBalancer({ servers: serversOf(servers), health: NO_HEALTH_CHECKS, upstreamTimeoutMs: 20_000 });
    expect((await sendJson(`${balancer.adminUrl}/fault/server1`, 'POST', { hang: true })).status).toBe(200);

    const response = await send(`${balancer.url}/register?username=server2`, { method: 'POST', body: '{}', timeoutMs: 5_000 });

    expect(response.status).toBe(201);
    expect(response.headers['x-server-id']).toBe('server2');
    expect(response.headers['x-lblab-fanout-rounds']).toBe('1');
    expect(response.headers['x-lblab-fanout-attempts']).toBe('3');
    expect(response.json).toMatchObject({ server: 'server2' });
    // Causal: the hung request reached server1 and the balancer cancelled it (a hang never ends by itself).
    const hungLine = await waitFor(() => requestLines(servers[0]!, 'POST /register?username=server2')[0], { what: "server1's log line" });
    expect(hungLine).toMatch(/ aborted /);
    expect(requestLines(servers[1]!, 'POST /register?username=server2')).toEqual([expect.stringMatching(/ 201 /)]);
    expect(serverStats(balancer, 'server1')).toMatchObject({ requests: 1, inFlight: 0, errors: 0 });
    expect(balancer.stats().resilience).toMatchObject({ fanoutSuccesses: 1, fanoutFailures: 0, fanoutRounds: 1 });
  });

  it('answers the 4xx at once when every server refuses the request (seed 002: a username no server owns)', async () => {
    const servers = await sampleServers(3);
    const balancer = await testBalancer({ servers: serversOf(servers), health: NO_HEALTH_CHECKS });

    const response = await send(`${balancer.url}/register?username=nobody`, { method: 'POST', timeoutMs: 5_000 });

    expect(response.status).toBe(403);
    expect(response.headers['x-lblab-fanout-rounds']).toBe('1');
    expect(response.headers['x-lblab-fanout-attempts']).toBe('3');
    const server = response.headers['x-server-id'];
    expect(response.json).toMatchObject({ message: `User "nobody" does not belong to server ${String(server)}` });
    for (const s of servers) expect(requestLines(s, 'POST /register?username=nobody')).toEqual([expect.stringMatching(/ 403 /)]);

    const missing = await send(`${balancer.url}/register`, { method: 'POST', timeoutMs: 5_000 });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ message: 'Missing query parameter "username": expected ?username=<name>' });
    expect(await send(`${balancer.adminUrl}/metrics`).then((r) => r.text)).toContain('lblab_fanout_requests_total{outcome="rejected"} 2');
  });

  it('keeps going past a 4xx while another server failed, and the first 2xx still wins', async () => {
    const servers = await upstreams(3, { behavior: { status: 403 } });
    servers[2]!.behavior = { status: 503 };
    const balancer = await testBalancer(
      { servers: serversOf(servers), health: NO_HEALTH_CHECKS, outlier: { enabled: false }, fanout: { baseMs: 1, capMs: 2 } },
      { context: HALF },
    );
    const answer = send(`${balancer.url}/register?username=u`, { method: 'POST', timeoutMs: 5_000 });
    await waitFor(() => servers[2]!.requests.length >= 2, { what: 'a second round after the 503' });
    servers[2]!.behavior = { status: 201 };

    const response = await answer;

    expect(response.status).toBe(201);
    expect(response.headers['x-server-id']).toBe('server3');
  });

  it('answers 502 after the deadline when every server fails, listing every attempt, with rounds spaced by the backoff', async () => {
    const servers = await sampleServers(3);
    const fanout = { deadlineMs: 400, baseMs: 20, capMs: 80 };
    const balancer = await testBalancer({ servers: serversOf(servers), health: NO_HEALTH_CHECKS, outlier: { enabled: false }, fanout }, { context: HALF });
    for (const server of servers) expect((await sendJson(`${balancer.adminUrl}/fault/${server.name}`, 'POST', { errorRate: 1 })).status).toBe(200);

    const response = await send(`${balancer.url}/register?username=nobody`, { method: 'POST' });

    expect(response.status).toBe(502);
    const body = response.json as FanoutFailure;
    expect(body.status).toBe('failure');
    expect(body.message).toBe(
      `no server answered POST /register with a 2xx within the fan-out deadline of 400 ms (${body.rounds} rounds, ${body.attempts.length} attempts)`,
    );
    expect(body.rounds).toBeGreaterThanOrEqual(2);
    expect(body.elapsedMs).toBeGreaterThanOrEqual(fanout.deadlineMs);
    expect(response.headers['x-lblab-fanout-rounds']).toBe(String(body.rounds));
    expect(response.headers['x-server-id']).toBeUndefined();

    // Every round went to all three servers, and each answered 500 (the injected error); only attempts
    // of the last round may have been cut by the deadline.
    expect(body.attempts).toHaveLength(3 * body.rounds);
    for (let round = 1; round <= body.rounds; round++) {
      const inRound = body.attempts.filter((a) => a.round === round);
      expect(inRound.map((a) => a.server).sort()).toEqual(['server1', 'server2', 'server3']);
      for (const attempt of inRound) {
        const outcome = round === body.rounds && attempt.error === 'deadline' ? { error: 'deadline' } : { status: 500 };
        expect(attempt).toEqual({ server: attempt.server, round, ...outcome, atMs: expect.any(Number), durationMs: expect.any(Number) });
      }
    }

    // The waits between rounds come from the injected random (0.5): half of min(cap, base * 2^i) = 10, 20, 40, 40...
    // A last wait, cut to the deadline, follows the last round unless that round ran into the deadline.
    expect([body.rounds - 1, body.rounds]).toContain(body.waitsMs.length);
    expect(body.waitsMs[0]).toBe(10);
    for (let i = 0; i < body.rounds - 1; i++) expect(body.waitsMs[i]).toBe(Math.floor(0.5 * backoffCeilingMs(20, 80, i)));

    // Real waits: each round starts at least its wait after the previous round's last answer.
    for (let round = 2; round <= body.rounds; round++) {
      const previousEnd = Math.max(...body.attempts.filter((a) => a.round === round - 1).map((a) => a.atMs + a.durationMs));
      const start = Math.min(...body.attempts.filter((a) => a.round === round).map((a) => a.atMs));
      expect(start).toBeGreaterThanOrEqual(previousEnd + body.waitsMs[round - 2]! - 0.002); // records are rounded to 1 µs
    }

    // The servers answered one request per round, spaced in their own logs by at least the wait (log times are whole ms).
    for (const server of servers) {
      const answered = body.attempts.filter((a) => a.server === server.name && a.status === 500).length;
      expect(answered).toBeGreaterThanOrEqual(body.rounds - 1);
      const lines = await waitFor(
        () => {
          // An attempt of the last round cut by the deadline may have been answered and logged too: it comes last.
          const found = requestLines(server, 'POST /register?username=nobody').filter((line) => / 500 /.test(line));
          return found.length >= answered ? found.slice(0, answered) : undefined;
        },
        { what: `${answered} log lines of ${server.name}` },
      );
      const times = lines.map((line) => Date.parse(line.split(' ')[0]!));
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(body.waitsMs[i - 1]! - 1);
    }
    expect(balancer.stats().resilience).toMatchObject({ fanoutSuccesses: 0, fanoutFailures: 1, fanoutRounds: body.rounds });
  });

  it('sends the body read once to every server in every round, and answers 413 when it is over the limit', async () => {
    const received: { server: string; body: string }[] = [];
    const urls = await Promise.all(['a', 'b'].map((name) => recordingServer(name, received)));
    const balancer = await testBalancer(
      {
        servers: urls.map((url, i) => ({ name: `s${i + 1}`, url })),
        health: NO_HEALTH_CHECKS,
        fanout: { routes: ['POST /orders'], deadlineMs: 60, baseMs: 5, capMs: 10, maxBodyBytes: 1024 },
      },
      { context: HALF },
    );

    const response = await postChunked(`${balancer.url}/orders?x=1`, ['x'.repeat(400), 'x'.repeat(600)]);

    expect(response.status).toBe(502);
    const { attempts } = JSON.parse(response.text) as FanoutFailure;
    // Every answered attempt got the whole body (attempts of the last round may have been cut by the deadline).
    const answered = attempts.filter((a) => a.status === 503).length;
    expect(answered).toBeGreaterThanOrEqual(2);
    expect(received.length).toBeGreaterThanOrEqual(answered);
    expect(received.length).toBeLessThanOrEqual(attempts.length);
    expect(new Set(received.map((r) => r.body))).toEqual(new Set(['x'.repeat(1000)]));

    const tooLarge = await send(`${balancer.url}/orders`, { method: 'POST', body: 'y'.repeat(1025) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toEqual({
      status: 'failure',
      message: 'request body is larger than 1024 bytes, the fan-out limit (fanout.maxBodyBytes)',
    });
    expect(received.filter((r) => r.body.startsWith('y'))).toEqual([]);
  });

  it('sends each round to N servers in turn when servers is N', async () => {
    const servers = await upstreams(3, { behavior: { status: 403 } });
    servers[2]!.behavior = { status: 201 };
    const balancer = await testBalancer(
      { servers: serversOf(servers), health: NO_HEALTH_CHECKS, fanout: { servers: 1, baseMs: 1, capMs: 2 } },
      { context: HALF },
    );

    const response = await send(`${balancer.url}/register?username=u`, { method: 'POST' });

    expect(response.status).toBe(201);
    expect(response.headers['x-server-id']).toBe('server3');
    expect(response.headers['x-lblab-fanout-rounds']).toBe('3');
    expect(response.headers['x-lblab-fanout-attempts']).toBe('3');
    expect(servers.map((s) => s.requests.length)).toEqual([1, 1, 1]);
  });

  it('cancels every attempt when the client goes away', async () => {
    const servers = await upstreams(3, { behavior: { hang: true } });
    const balancer = await testBalancer({ servers: serversOf(servers), health: NO_HEALTH_CHECKS });

    const request = http.request(`${balancer.url}/register?username=x`, { method: 'POST', agent: false });
    request.on('error', () => {});
    request.end();
    await waitFor(() => servers.every((s) => s.inFlight === 1), { what: 'the attempts to reach every server' });
    request.destroy();

    await waitFor(() => servers.every((s) => s.aborted === 1), { what: 'every attempt to be cancelled' });
    await waitFor(() => balancer.stats().servers.every((s) => s.inFlight === 0), { what: 'the slots to be released' });
  });

  it('GET and PUT /fanout read and change the settings at run time', async () => {
    const servers = await upstreams(2, { behavior: { status: 403 } });
    const balancer = await testBalancer({ servers: serversOf(servers), health: NO_HEALTH_CHECKS });

    expect((await send(`${balancer.adminUrl}/fanout`)).json).toEqual(DEFAULT_FANOUT);
    const put = await sendJson(`${balancer.adminUrl}/fanout`, 'PUT', { enabled: false });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...DEFAULT_FANOUT, enabled: false });

    // Fan-out off: the 403 of the one server the algorithm picked is the answer.
    const response = await send(`${balancer.url}/register?username=x`, { method: 'POST' });
    expect(response.status).toBe(403);
    expect(servers.map((s) => s.requests.length).sort()).toEqual([0, 1]);
    expect(balancer.logs.some((line) => line.endsWith('fanout off: POST /register, POST /changePassword; servers all, backoff 25-250 ms, deadline 10000 ms'))).toBe(true);

    const routes = await sendJson(`${balancer.adminUrl}/fanout`, 'PUT', { enabled: true, routes: ['POST /signup'], servers: 2 });
    expect(routes.json).toMatchObject({ enabled: true, routes: [{ method: 'POST', path: '/signup' }], servers: 2 });

    const bad = await sendJson(`${balancer.adminUrl}/fanout`, 'PUT', { capMs: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ status: 'failure', message: 'fanout.capMs must be at least fanout.baseMs (25), got 1' });
    const unknown = await sendJson(`${balancer.adminUrl}/fanout`, 'PUT', { deadline: 5 });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      status: 'failure',
      message: 'fanout.deadline is not a known field (value 5); fields: enabled, routes, servers, baseMs, capMs, deadlineMs, maxBodyBytes',
    });
  });
});

/** POST with a chunked body (no Content-Length), written in `parts`. */
function postChunked(url: string, parts: readonly string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    for (const part of parts) request.write(part);
    request.end();
  });
}

/** A server that records each request body and answers 503. */
async function recordingServer(name: string, received: { server: string; body: string }[]): Promise<string> {
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ server: name, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('busy');
    });
  });
  return listenForTest(server);
}
