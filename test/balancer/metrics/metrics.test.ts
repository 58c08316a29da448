import { describe, expect, it } from 'vitest';

import { BalancerMetrics, LATENCY_BUCKETS_S, MAX_ROUTES } from '../../../balancer/metrics/metrics.js';

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

  it('counts responses by server, status class and route; a server name added again counts on', async () => {
    const metrics = new BalancerMetrics();
    metrics.forServer('s1').countResponse(200, '/home');
    metrics.forServer('s1').countResponse(204, '/home');
    metrics.forServer('s1').countResponse(503, '/api');
    metrics.forServer('s2').countCancelled('/home');
    metrics.forServer('s3');

    const lines = (await metrics.text()).split('\n').filter((line) => line.startsWith('lblab_requests_total'));

    expect(lines).toEqual([
      'lblab_requests_total{server="s1",code_class="2xx",route="/home"} 2',
      'lblab_requests_total{server="s1",code_class="5xx",route="/api"} 1',
      'lblab_requests_total{server="s2",code_class="cancelled",route="/home"} 1',
    ]);
  });

  it('renders latencies as a cumulative histogram per server that has any', async () => {
    const metrics = new BalancerMetrics();
    const server = metrics.forServer('s1');
    metrics.forServer('s2');
    for (const latencyMs of [0.5, 1, 2, 7, 20_000]) server.observeLatencyMs(latencyMs);

    const lines = (await metrics.text()).split('\n').filter((line) => line.startsWith('lblab_request_duration_seconds'));

    const cumulative = [2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
    expect(lines).toEqual([
      ...LATENCY_BUCKETS_S.map((le, i) => `lblab_request_duration_seconds_bucket{le="${le}",server="s1"} ${cumulative[i]}`),
      'lblab_request_duration_seconds_bucket{le="+Inf",server="s1"} 5',
      'lblab_request_duration_seconds_sum{server="s1"} 20.0105',
      'lblab_request_duration_seconds_count{server="s1"} 5',
    ]);
  });
});
