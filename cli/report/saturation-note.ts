import type { RunSummary } from './run-summary.js';

/** One plain sentence when lblab's own generator or balancer was saturated; undefined otherwise (or when not measured). */
export function saturationNote(summary: Pick<RunSummary, 'saturation'>): string | undefined {
  const saturation = summary.saturation;
  if (saturation === undefined) return undefined;
  const parts: string[] = [];
  const describe = (who: string, stats: { eventLoopUtilization: number; eventLoopDelayP99Ms: number }): string =>
    `${who} (event loop ${Math.round(stats.eventLoopUtilization * 100)}% busy, delay p99 ${stats.eventLoopDelayP99Ms.toFixed(1)} ms)`;
  if (saturation.generator.saturated) parts.push(describe("lblab's load generator", saturation.generator));
  if (saturation.balancer?.saturated === true) parts.push(describe("lblab's balancer", saturation.balancer));
  if (parts.length === 0) return undefined;
  return `Saturated: ${parts.join(' and ')}. These figures reflect lblab's own limits, not the servers' or the algorithm's.`;
}
