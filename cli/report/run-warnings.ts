import type { SaturationStats } from '../../balancer/api-types.js';
import type { RunSummary } from './run-summary.js';

function figures(stats: SaturationStats): string {
  return `event loop ${Math.round(stats.eventLoopUtilization * 100)}% busy, delay p99 ${Math.round(stats.eventLoopDelayP99Ms)} ms`;
}

/**
 * One plain line per part of lblab that was saturated during the run (and
 * one when the balancer died), for the summary table, report.md and the
 * dashboard; none when the figures are the servers' and the algorithm's.
 */
export function runWarnings(summary: Pick<RunSummary, 'saturation' | 'balancerDied'>): string[] {
  const lines: string[] = [];
  const death = summary.balancerDied;
  if (death !== undefined) {
    lines.push(`warning: the balancer died ${(death.atMs / 1000).toFixed(1)} s into the run (${death.reason}); the load stopped there and these results are partial`);
  }
  const saturation = summary.saturation;
  const limits = "these figures reflect lblab's limits, not the servers' or the algorithm's";
  if (saturation?.balancer?.saturated === true) lines.push(`warning: the balancer was saturated (${figures(saturation.balancer)}): ${limits}`);
  if (saturation?.generator.saturated === true) lines.push(`warning: the load generator was saturated (${figures(saturation.generator)}): ${limits}`);
  return lines;
}
