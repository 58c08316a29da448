import type { SaturationStats } from '../../balancer/api-types.js';
import type { RunSummary } from './run-summary.js';

function figures(stats: SaturationStats): string {
  return `event loop ${Math.round(stats.eventLoopUtilization * 100)}% busy, delay p99 ${Math.round(stats.eventLoopDelayP99Ms)} ms`;
}

const LIMITS_NOTE = "these figures reflect lblab's limits, not the servers' or the algorithm's";

/**
 * The warning for one saturated part of lblab, or undefined when it was not
 * saturated: `was` in a run's results, `is` on the lab dashboard (the
 * balancer's /stats window, live). The one wording every view uses.
 */
export function saturationWarning(part: 'balancer' | 'load generator', stats: SaturationStats | null | undefined, tense: 'was' | 'is' = 'was'): string | undefined {
  if (stats?.saturated !== true) return undefined;
  return `warning: the ${part} ${tense} saturated (${figures(stats)}): ${LIMITS_NOTE}`;
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
  for (const line of [saturationWarning('balancer', saturation?.balancer), saturationWarning('load generator', saturation?.generator)]) {
    if (line !== undefined) lines.push(line);
  }
  return lines;
}
