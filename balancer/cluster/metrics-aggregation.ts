// GET /metrics of a balancer with several workers: the workers' series (and the
// primary's, for its health gauges and process metrics) merged by prom-client's
// AggregatorRegistry. Counters and histogram buckets add up; series that every
// process holds the same copy of must not, so they take the largest value.
import { AggregatorRegistry } from 'prom-client';

import type { MetricsJson } from './cluster-messages.js';

/**
 * Series every worker repeats from the primary's verdicts (health) or that
 * describe one event loop (the busiest one matters): `max`, not `sum`.
 */
export const MAX_AGGREGATED = new Set([
  'lblab_server_up',
  'lblab_server_ejected',
  'lblab_health_changes_total',
  'lblab_event_loop_utilization',
  'lblab_event_loop_delay_p99_seconds',
]);

/** One registry's worth of series from every process, merged (the result of AggregatorRegistry.aggregate). */
export function aggregateMetrics(perProcess: readonly MetricsJson[]): ReturnType<typeof AggregatorRegistry.aggregate> {
  const adjusted = perProcess.map((metrics) =>
    metrics.map((metric) => (MAX_AGGREGATED.has(metric.name) ? { ...metric, aggregator: 'max' as const } : metric)),
  );
  return AggregatorRegistry.aggregate(adjusted);
}
