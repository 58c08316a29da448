// Property-based: random admin requests (every route, random bodies, random
// methods and paths, with and without the token) against a real in-process
// balancer with real upstreams. The balancer never answers 500, every refusal
// is a small JSON failure body, and after every batch it still serves a GET
// through the data port. Fixed seeds: a failure names its seed and the request.
import http from 'node:http';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { ALGORITHM_NAMES } from '../../../balancer/algorithms/algorithm.js';
import { FANOUT_FIELDS, OUTLIER_FIELDS, RETRY_FIELDS } from '../../../balancer/config/resilience-parse.js';
import { send } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup, waitForHealth, type TestBalancer } from '../fixtures/test-balancer.js';
import type { Upstream } from '../fixtures/upstream.js';

useCleanup();

const TOKEN = 'property-test-token-0123456789';
const BATCHES = 8;
const RUNS_PER_BATCH = 100;
/** Statuses an admin request may get; 500 is never one of them. */
const EXPECTED_STATUSES = new Set([200, 400, 401, 404, 405, 413, 502, 504]);
const DEAD_URL = 'http://127.0.0.1:1';

interface AdminRequest {
  readonly method: string;
  readonly path: string;
  /** A JSON value to send, or raw text (possibly not JSON). */
  readonly body?: { readonly json: unknown } | { readonly raw: string };
  readonly auth: 'token' | 'none' | 'wrong';
}

const edgeNumber = fc.constantFrom(0, -1, 1, 2, 0.5, 1.5, 10, 11, 100, 101, 256, 257, 1000, 1001, 65_537, 100_000_007, 1e9, 2e9, 1e300, -1e300);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  edgeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('yes', 'true', 'all', '1', 'POST /register', 'GET /*', `${DEAD_URL}/x`),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 2 }),
);

/** Objects whose keys are mostly the route's own fields, sometimes unknown ones. */
function bodyOf(fields: readonly string[], value: fc.Arbitrary<unknown> = anyValue): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...fields) }, fc.string({ maxLength: 8 })), value, { maxKeys: 4 }) },
    { weight: 1, arbitrary: anyValue },
  );
}

const serverName = fc.oneof(
  fc.constantFrom('server1', 'server2', 'spare1', 'spare2', 'dead1', 'dead2', 's4', '', 'a b', 'x'.repeat(64)),
  fc.string({ maxLength: 10 }),
);
const serverUrl = fc.oneof(fc.constantFrom(`${DEAD_URL}/a`, `${DEAD_URL}`, 'ftp://x', 'http://', `${DEAD_URL}/?q=1`), fc.string({ maxLength: 12 }));
const serverSpec = fc.oneof(
  fc.record({ name: serverName, url: serverUrl, weight: fc.oneof(edgeNumber, fc.constant(undefined)) }, { requiredKeys: ['name', 'url'] }),
  bodyOf(['name', 'url', 'weight']),
);
const freshName = fc.integer({ min: 1, max: 400 }).map((k) => `dead${k}`);
const addBody = fc.oneof(
  // Mostly well-formed: fresh names on a dead port, or hostnames with the url template.
  { weight: 3, arbitrary: fc.uniqueArray(freshName, { minLength: 1, maxLength: 40 }).map((names) => ({ servers: names.map((name) => ({ name, url: `${DEAD_URL}/${name}` })) })) },
  { weight: 2, arbitrary: fc.tuple(fc.uniqueArray(freshName, { maxLength: 3 }), fc.integer({ min: 1, max: 60 })).map(([hostnames, extra]) => ({ n: hostnames.length + extra, hostnames })) },
  fc.record(
    {
      n: fc.oneof(fc.integer({ min: -2, max: 300 }), anyValue),
      hostnames: fc.oneof(fc.array(serverName, { maxLength: 4 }), anyValue),
      servers: fc.oneof(fc.array(serverSpec, { maxLength: 4 }), anyValue),
      bogus: anyValue,
    },
    { requiredKeys: [] },
  ),
  bodyOf(['n', 'hostnames', 'servers']),
);
const removeBody = fc.oneof(
  { weight: 2, arbitrary: fc.uniqueArray(freshName, { minLength: 1, maxLength: 3 }).map((hostnames) => ({ hostnames })) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => ({ n })) },
  fc.record({ n: fc.oneof(fc.integer({ min: -1, max: 5 }), anyValue), hostnames: fc.oneof(fc.array(serverName, { maxLength: 3 }), anyValue) }, { requiredKeys: [] }),
  bodyOf(['n', 'hostnames']),
);
const optionValue = fc.oneof(edgeNumber, fc.integer({ min: 1, max: 2_000 }), anyValue);
const plausibleOptions = fc.record(
  {
    virtualNodes: fc.integer({ min: 0, max: 1_200 }),
    boundedLoad: fc.double({ min: 0.5, max: 12, noNaN: true }),
    capacity: fc.integer({ min: 0, max: 12_000 }),
    tableSize: fc.constantFrom(257, 263, 65_537, 65_536, 65_539, 251, 100_000_007),
  },
  { requiredKeys: [] },
);
const algorithmBody = fc.oneof(
  { weight: 3, arbitrary: fc.record({ algorithm: fc.constantFrom(...ALGORITHM_NAMES), options: plausibleOptions }, { requiredKeys: ['algorithm'] }) },
  fc.record(
    {
      algorithm: fc.oneof(fc.constantFrom(...ALGORITHM_NAMES), anyValue),
      options: fc.oneof(bodyOf(['virtualNodes', 'boundedLoad', 'capacity', 'tableSize'], optionValue), anyValue),
      extra: anyValue,
    },
    { requiredKeys: [] },
  ),
  bodyOf(['algorithm', 'options']),
);
const faultBody = bodyOf(['errorRate', 'latencyMs', 'hang', 'healthToo']);

const jsonBody = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<AdminRequest['body']> =>
  fc.oneof(
    { weight: 9, arbitrary: arbitrary.map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('{', '{"n":1,', '[]', 'null', '')).map((raw) => ({ raw })) },
  );

const routeRequest: fc.Arbitrary<Omit<AdminRequest, 'auth'>> = fc.oneof(
  jsonBody(addBody).map((body) => ({ method: 'POST', path: '/add', body })),
  jsonBody(removeBody).map((body) => ({ method: 'DELETE', path: '/rm', body })),
  jsonBody(algorithmBody).map((body) => ({ method: 'PUT', path: '/algorithm', body })),
  jsonBody(bodyOf(FANOUT_FIELDS)).map((body) => ({ method: 'PUT', path: '/fanout', body })),
  jsonBody(bodyOf(RETRY_FIELDS)).map((body) => ({ method: 'PUT', path: '/retries', body })),
  jsonBody(bodyOf(OUTLIER_FIELDS)).map((body) => ({ method: 'PUT', path: '/outlier', body })),
  fc
    .tuple(fc.constantFrom('POST', 'DELETE'), serverName, jsonBody(faultBody))
    .map(([method, name, body]) => ({ method, path: `/fault/${encodeURIComponent(name)}`, body })),
  fc.constantFrom('/rep', '/stats', '/algorithm', '/fanout', '/retries', '/outlier', '/metrics', '/health').map((path) => ({ method: 'GET', path })),
  fc.oneof(fc.constantFrom('0', '-1', 'x', '', '1e3', '99999999999999999999'), fc.string({ maxLength: 8 })).map((since) => ({
    method: 'GET',
    path: `/events?since=${encodeURIComponent(since)}`,
  })),
  fc
    .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'), fc.constantFrom('/rep', '/add', '/rm', '/nope', '/fault', '/fault/', '/fault/%E0%A4%A', '//'))
    .map(([method, path]) => ({ method, path })),
);

const adminRequest: fc.Arbitrary<AdminRequest> = fc
  .tuple(routeRequest, fc.constantFrom<AdminRequest['auth']>('token', 'token', 'token', 'token', 'token', 'token', 'token', 'token', 'none', 'wrong'))
  .map(([request, auth]) => ({ ...request, auth }));

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
afterAll(() => agent.destroy());

/** Sends one admin request; event streams are cut once their head arrives. */
function sendAdmin(adminUrl: string, request: AdminRequest): Promise<Answer> {
  const payload = request.body === undefined ? undefined : 'raw' in request.body ? request.body.raw : JSON.stringify(request.body.json);
  const headers: Record<string, string | number> = {};
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  if (request.auth !== 'none') headers.authorization = `Bearer ${request.auth === 'token' ? TOKEN : `${TOKEN}-wrong`}`;
  return new Promise((resolve, reject) => {
    const req = http.request(`${adminUrl}${request.path}`, { method: request.method, headers, agent }, (response) => {
      const contentType = response.headers['content-type'];
      if (contentType?.startsWith('text/event-stream')) {
        resolve({ status: response.statusCode ?? 0, contentType, text: '' });
        response.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${request.method} ${request.path} within 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function checkAnswer(request: AdminRequest, answer: Answer): void {
  const what = `${request.method} ${request.path} ${JSON.stringify(request.body)} (${request.auth})`;
  expect(EXPECTED_STATUSES.has(answer.status), `${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`).toBe(true);
  if (request.auth !== 'token') expect(answer.status, what).toBe(401);
  if (answer.status >= 400 && request.method !== 'HEAD') {
    const body = JSON.parse(answer.text) as { status?: unknown; message?: unknown };
    expect(body.status, what).toBe('failure');
    expect(typeof body.message, what).toBe('string');
    expect(answer.text.length, `${what}: error body of ${answer.text.length} bytes`).toBeLessThan(2_000);
  }
}

/**
 * Puts the upstreams back if random requests took them away (a random /rm, or
 * an /add that generated the name server2 for a dead url), so the data-port
 * check has somewhere to go.
 */
async function restoreUpstreams(balancer: TestBalancer, servers: readonly Upstream[]): Promise<void> {
  const wanted = serversOf(servers);
  const stale = balancer
    .stats()
    .servers.filter((s) => wanted.some((w) => w.name === s.name && w.url !== s.url))
    .map((s) => s.name);
  if (stale.length > 0) await authed(sendJsonWithToken(`${balancer.adminUrl}/rm`, 'DELETE', { hostnames: stale }));
  const present = balancer.stats().servers.map((s) => s.name);
  const missing = wanted.filter((s) => !present.includes(s.name));
  if (missing.length > 0) {
    const spare = 256 - present.length;
    if (spare < missing.length) {
      const extras = present.filter((name) => !wanted.some((w) => w.name === name)).slice(0, missing.length - spare);
      await authed(sendJsonWithToken(`${balancer.adminUrl}/rm`, 'DELETE', { hostnames: extras }));
    }
    await authed(sendJsonWithToken(`${balancer.adminUrl}/add`, 'POST', { servers: missing }));
  }
  await waitForHealth(balancer, 'up', wanted.map((s) => s.name), 10_000);
}

function sendJsonWithToken(url: string, method: string, body: unknown): ReturnType<typeof send> {
  return send(url, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
}

async function authed(answer: ReturnType<typeof send>): Promise<void> {
  const { status, text } = await answer;
  expect(status, text).toBe(200);
}

describe('admin API under random requests', () => {
  it(`never answers 500 and keeps serving (${BATCHES} batches of ${RUNS_PER_BATCH} requests)`, async () => {
    const servers = await upstreams(2);
    const balancer = await testBalancer({
      servers: serversOf(servers),
      serverUrlTemplate: `${DEAD_URL}/{name}`,
      // Slow checks: up to 256 dead servers may be registered at once.
      health: { intervalMs: 1_000, downIntervalMs: 1_000, fastIntervalMs: 100 },
      adminToken: TOKEN,
    });
    await waitForHealth(balancer, 'up');

    for (let batch = 0; batch < BATCHES; batch++) {
      await fc.assert(
        fc.asyncProperty(adminRequest, async (request) => checkAnswer(request, await sendAdmin(balancer.adminUrl, request))),
        { numRuns: RUNS_PER_BATCH, seed: 1_200 + batch, endOnFailure: true },
      );
      await restoreUpstreams(balancer, servers);
      const probe = await send(`${balancer.url}/home`, { timeoutMs: 10_000 });
      expect(probe.status, `GET /home after batch ${batch}: ${probe.text}`).toBe(200);
      expect(servers.map((s) => s.name)).toContain(probe.headers['x-server-id']);
    }
    // The settings routes still answer with what is in force.
    expect((await send(`${balancer.adminUrl}/stats`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  }, 120_000);
});
