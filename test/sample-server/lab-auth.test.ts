// With LBLAB_TOKEN, every /_lab/* route needs the token; the seed routes stay open.
import { afterEach, describe, expect, it } from 'vitest';

import { LAB_ROUTES } from '../../sample-server/routes.js';
import { parseSampleServerOptions } from '../../sample-server/options.js';
import { getJson, serverPool } from './start-server.js';

const pool = serverPool();
afterEach(() => pool.closeAll());

const TOKEN = 'lab-token-0123456789abcdef';

function requestOf(route: (typeof LAB_ROUTES)[number], headers: Record<string, string>): [string, RequestInit] {
  const [method, path] = route.split(' ') as [string, string];
  const body = method === 'POST' ? JSON.stringify({ errorRate: 1 }) : undefined;
  return [path, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body }) }];
}

describe('sample server /_lab/* with a token', () => {
  it('answers 401 JSON with WWW-Authenticate without the token or with a wrong one, and keeps the fault unchanged', async () => {
    const server = await pool.start({ token: TOKEN });
    for (const route of LAB_ROUTES) {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}-not` }, { authorization: TOKEN }] as Record<string, string>[]) {
        const [path, init] = requestOf(route, headers);
        const response = await fetch(`${server.url}${path}`, init);
        expect([route, response.status]).toEqual([route, 401]);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(response.headers.get('x-server-id')).toBe('server1');
        expect(await response.json()).toEqual({ status: 'failure', message: expect.stringContaining("server1's /_lab API"), server: 'server1' });
      }
    }
    // An unknown /_lab path is refused before it is looked up.
    expect((await fetch(`${server.url}/_lab/nope`)).status).toBe(401);
    // The injected errorRate 1 never took effect: the seed routes answer 200, without a token.
    expect(await getJson(`${server.url}/home`)).toMatchObject({ status: 200, serverId: 'server1' });
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
  });

  it('serves every /_lab/* route with the token', async () => {
    const server = await pool.start({ token: TOKEN });
    for (const route of LAB_ROUTES) {
      const [path, init] = requestOf(route, { authorization: `Bearer ${TOKEN}` });
      const response = await fetch(`${server.url}${path}`, init);
      expect([route, response.status]).toEqual([route, 200]);
      await response.arrayBuffer();
    }
  });

  it('reads the token from LBLAB_TOKEN only, and refuses an unusable one', () => {
    const context = { hostname: 'server1' };
    expect(parseSampleServerOptions([], { LBLAB_TOKEN: TOKEN }, context).token).toBe(TOKEN);
    expect(parseSampleServerOptions([], {}, context).token).toBeUndefined();
    expect(() => parseSampleServerOptions(['--token', TOKEN], {}, context)).toThrow(/^Unknown flag --token/);
    expect(() => parseSampleServerOptions([], { LBLAB_TOKEN: '' }, context)).toThrow(
      'LBLAB_TOKEN must be 16 to 512 characters (16 characters or more carry enough randomness; 512 fits any header), got 0',
    );
    expect(() => parseSampleServerOptions([], { LBLAB_TOKEN: 'has a space in it, too long' }, context)).toThrow(
      'LBLAB_TOKEN must be printable ASCII without spaces (it goes in an HTTP header)',
    );
  });
});
