import { describe, expect, it } from 'vitest';

import { matchesRoute, parseRouteRules } from '../../../balancer/config/route-rule.js';

describe('route rules', () => {
  it('parses the flag form and objects, upper-casing methods', () => {
    expect(parseRouteRules('--fanout-routes', 'POST /register, post /changePassword,')).toEqual([
      { method: 'POST', path: '/register' },
      { method: 'POST', path: '/changePassword' },
    ]);
    expect(parseRouteRules('routes', [{ method: 'put', path: '/api/*' }])).toEqual([{ method: 'PUT', path: '/api/*' }]);
    expect(parseRouteRules('routes', '')).toEqual([]);
  });

  it('rejects a route with a query with an exact message', () => {
    expect(() => parseRouteRules('routes', ['POST /register?x=1'])).toThrow(
      'routes[0].path must be a path starting with "/" (no query; end it with * for a prefix), got "/register?x=1"',
    );
  });

  it('matches the method and the path without the query; * ends a prefix', () => {
    const rules = parseRouteRules('routes', ['POST /register', 'PUT /api/*']);
    expect(matchesRoute(rules, 'POST', '/register?username=a')).toBe(true);
    expect(matchesRoute(rules, 'POST', '/register/more')).toBe(false);
    expect(matchesRoute(rules, 'GET', '/register')).toBe(false);
    expect(matchesRoute(rules, 'PUT', '/api/users/1')).toBe(true);
    expect(matchesRoute(rules, 'PUT', '/apix')).toBe(false);
    expect(matchesRoute([], 'POST', '/register')).toBe(false);
  });
});
