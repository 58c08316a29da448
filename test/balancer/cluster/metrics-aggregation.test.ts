import { describe, expect, it } from 'vitest';

import { aggregateMetrics } from '../../../balancer/cluster/metrics-aggregation.js';
import { BalancerMetrics } from '../../../balancer/metrics/metrics.js';

async function workerMetrics(requests: number, latencyS: number, up: boolean) {
  const metrics = new BalancerMetrics();
  metrics.setSources({ servers: () => [{ name: 's1', inFlight: 1, health: up ? 'up' : 'down' }], queueLength: () => 0 });
  metrics.healthChanged('s1', 'up');
  const server = metrics.forServer('s1');
  for (let i = 0; i < requests; i++) server.latency.observeS(latencyS);
  return metrics.json();
}

describe('aggregateMetrics', () => {
  it('adds histogram buckets and gauges of load, and keeps one copy of the health the primary decided', async () => {
    const text = await aggregateMetrics([await workerMetrics(3, 0.002, true), await workerMetrics(2, 0.2, true)]).metrics();
    expect(text).toContain('lblab_request_duration_seconds_bucket{le="0.0025",server="s1"} 3');
    expect(text).toContain('lblab_request_duration_seconds_bucket{le="0.25",server="s1"} 5');
    expect(text).toContain('lblab_request_duration_seconds_count{server="s1"} 5');
    expect(text).toContain('lblab_in_flight_requests{server="s1"} 2');
    expect(text).toContain('lblab_server_up{server="s1"} 1');
    expect(text).toContain('lblab_health_changes_total{server="s1",to="up"} 1');
  });
});
