import type { RunSummary, RunThreshold } from '../report/run-summary.js';
import { formatComparison, holds, type Comparison } from './comparison.js';
import { THRESHOLD_METRICS, THRESHOLD_NAMES, type Measurement } from './threshold-metrics.js';

/** Thresholds as a scenario holds them: a bare number (read with the metric's bare operator) or a comparison. */
export type ThresholdSpecs = Partial<Record<(typeof THRESHOLD_NAMES)[number], number | Comparison>>;

/** A threshold's outcome, with the server that gave the value for maxShare and minShare. */
export interface EvaluatedThreshold extends RunThreshold {
  readonly server?: string;
}

/**
 * Checks each threshold against the run's summary, in the order of
 * THRESHOLD_NAMES. `prefix` names a pass (`round-robin: errors`). Pure.
 */
export function evaluateThresholds(summary: RunSummary, specs: ThresholdSpecs, prefix = ''): EvaluatedThreshold[] {
  const results: EvaluatedThreshold[] = [];
  for (const name of THRESHOLD_NAMES) {
    const spec = specs[name];
    if (spec === undefined) continue;
    const metric = THRESHOLD_METRICS[name];
    const comparison: Comparison = typeof spec === 'number' ? { operator: metric.bareOperator, value: spec } : spec;
    const measured: Measurement = metric.measure(summary);
    results.push({
      name: `${prefix}${name}`,
      expected: formatComparison(comparison),
      measured: measured.value,
      pass: holds(measured.value, comparison),
      ...(measured.server === undefined ? {} : { server: measured.server }),
    });
  }
  return results;
}

/** `threshold p99Ms < 200 failed: measured 312.4` (and the server, for shares). */
export function failedThresholdLine(threshold: RunThreshold & { readonly server?: string }): string {
  const server = threshold.server === undefined ? '' : ` (${threshold.server})`;
  return `threshold ${threshold.name} ${threshold.expected} failed: measured ${threshold.measured}${server}`;
}
