import type { RunSummary } from './run-summary.js';

/** The balancer a run went through: its version (`lblab 0.1.0`, `HAProxy 2.6.12`), else its kind; lblab when not recorded. */
export function balancerLabel(summary: Pick<RunSummary, 'balancer'>): string {
  return summary.balancer === undefined ? 'lblab' : (summary.balancer.version ?? summary.balancer.kind);
}
