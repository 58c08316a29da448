// With a token configured, every admin route answers 401 without it or with
// a wrong one, and works with it; /fault forwarding hands the token on.
import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { ADMIN_ROUTES } from '../../../balancer/admin/admin-api.js';
import { send } from '../fixtures/http-client.js';
import { serversOf, testBalancer, upstreams, useCleanup } from '../fixtures/test-balancer.js';

useCleanup();

const TOKEN = 'lab-token-0123456789abcdef';

/** A request per route that succeeds with the token (bodies chosen to be valid). */
function requestsFor(spareUrl: string): { route: (typeof ADMIN_ROUTES)[number]; method: string; path: string; body?: unknown }[] {
  return [
    { route: 'GET /rep', method: 'GET', path: '/rep' },
    { route: 'POST /add', method: 'POST', path: '/add', body: { servers: [{ name: 'spare', url: spareUrl }] } },
    { route: 'DELETE /rm', method: 'DELETE', path: '/rm', body: { hostnames: ['spare'] } },
    { route: 'GET /stats', method: 'GET', path: '/stats' },
    { route: 'GET /algorithm', method: 'GET', path: '/algorithm' },
    { route: 'PUT /algorithm', method: 'PUT', path: '/algorithm', body: { algorithm: 'least-connections' } },
    { route: 'GET /fanout', method: 'GET', path: '/fanout' },
    { route: 'PUT /fanout', method: 'PUT', path: '/fanout', body: { enabled: false } },
    { route: 'GET /retries', method: 'GET', path: '/retries' },
    { route: 'PUT /retries', method: 'PUT', path: '/retries', body: { count: 0 } },
    { route: 'GET /outlier', method: 'GET', path: '/outlier' },
    { route: 'PUT /outlier', method: 'PUT', path: '/outlier', body: { enabled: false } },
    { route: 'GET /events', method: 'GET', path: '/events' },
    { route: 'POST /fault/<server>', method: 'POST', path: '/fault/server1', body: { errorRate: 1 } },
    { route: 'DELETE /fault/<server>', method: 'DELETE', path: '/fault/server1' },
    { route: 'GET /metrics', method: 'GET', path: '/metrics' },
    { route: 'GET /health', method: 'GET', path: '/health' },
  ];
}

/** Status and headers only; streams (GET /events) are cut once the head arrives. */
function head(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      url,
      { method, agent: false, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) } },
      (response) => {
        if (response.headers['content-type']?.startsWith('text/event-stream')) {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: '' });
          request.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer from ${method} ${url}`)));
    request.on('error', reject);
    request.end(payload);
  });
}

describe('admin API with a token', () => {
  it('covers every route in ADMIN_ROUTES', () => {
    expect(requestsFor('http://x').map((r) => r.route).sort()).toEqual([...ADMIN_ROUTES].sort());
  });

  it('answers 401 JSON with WWW-Authenticate on every route without a token and with a wrong one, and changes nothing', async () => {
    const [server, spare] = await upstreams(2);
    const guarded = await testBalancer({ servers: serversOf([server!]), adminToken: TOKEN });

    for (const request of requestsFor(spare!.url)) {
      const url = `${guarded.adminUrl}${request.path}`;
      const missing = await head(url, request.method, {}, request.body);
      expect([request.route, missing.status]).toEqual([request.route, 401]);
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(missing.text)).toEqual({
        status: 'failure',
        message: "the admin API needs the lab's token: send Authorization: Bearer <token> (lblab keeps it in the lab's state folder)",
      });

      const wrong = await head(url, request.method, { authorization: `Bearer ${TOKEN}x` }, request.body);
      expect([request.route, wrong.status]).toEqual([request.route, 401]);
      expect(wrong.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      expect(JSON.parse(wrong.text)).toMatchObject({ status: 'failure', message: expect.stringContaining('refused the token') });

      const basic = await head(url, request.method, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, request.body);
      expect([request.route, basic.status]).toEqual([request.route, 401]);
    }
    expect(guarded.stats().servers.map((s) => s.name)).toEqual(['server1']);
    expect(guarded.stats().algorithm).toBe('round-robin');
    expect(guarded.config.retries.count).toBe(2);
    expect(server!.faults).toEqual([]);
    // Unknown routes too: nothing is learned about the API without the token.
    expect((await head(`${guarded.adminUrl}/nope`, 'GET', {})).status).toBe(401);
  });

  it('answers 2xx on every route with the token, and forwards it to the server fault API', async () => {
    const [server, spare] = await upstreams(2);
    const guarded = await testBalancer({ servers: serversOf([server!]), adminToken: TOKEN });

    for (const request of requestsFor(spare!.url)) {
      const response = await head(`${guarded.adminUrl}${request.path}`, request.method, { authorization: `Bearer ${TOKEN}` }, request.body);
      expect([request.route, response.status]).toEqual([request.route, 200]);
    }
    expect(server!.faults.map((f) => f.method)).toEqual(['POST', 'DELETE']);
    const forwarded = server!.requests.filter((r) => r.url === '/_lab/fault');
    expect(forwarded.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(guarded.stats().algorithm).toBe('least-connections');
  });

  it('accepts the scheme in any case and leaves the data port open', async () => {
    const [server] = await upstreams(1);
    const guarded = await testBalancer({ servers: serversOf([server!]), adminToken: TOKEN });

    expect((await send(`${guarded.adminUrl}/stats`, { headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect((await send(`${guarded.url}/home`)).status).not.toBe(401);
  });

  it('without a token configured, the admin API is open (the lab chose --admin-auth none)', async () => {
    const balancer = await testBalancer();
    expect((await send(`${balancer.adminUrl}/stats`)).status).toBe(200);
  });
});
