import { describe, expect, it } from 'vitest';

import { BalancerMetrics, MAX_ROUTES } from '../../balancer/metrics.js';

describe('BalancerMetrics.route', () => {
  it('labels a request by its first path segment', () => {
    const metrics = new BalancerMetrics();
    expect(['/', '/home', '/home?id=1', '/factorial/5', '/a/b/c?x=/y', '/x?q=/z', 'http://h/abs', '*'].map((url) => metrics.route(url))).toEqual([
      '/',
      '/home',
      '/home',
      '/factorial',
      '/a',
      '/x',
      'other',
      'other',
    ]);
  });

  it(`keeps at most ${MAX_ROUTES} distinct routes, then says other`, () => {
    const metrics = new BalancerMetrics();
    for (let i = 0; i < MAX_ROUTES; i++) expect(metrics.route(`/r${i}`)).toBe(`/r${i}`);
    expect(metrics.route('/one-too-many')).toBe('other');
    expect(metrics.route('/r0/x')).toBe('/r0');
  });

  it('counts aborted requests under code_class="aborted"', async () => {
    const metrics = new BalancerMetrics();
    metrics.forServer('s1').countAborted('/home');
    expect(await metrics.text()).toContain('lblab_requests_total{server="s1",code_class="aborted",route="/home"} 1');
  });
});
