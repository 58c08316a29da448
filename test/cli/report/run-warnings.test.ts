import { describe, expect, it } from 'vitest';
import { runWarnings } from '../../../cli/report/run-warnings.js';
import { formatSummaryTable } from '../../../cli/report/summary-table.js';
import { realisticSummary } from './fixtures/realistic-run.js';

const calm = { eventLoopUtilization: 0.2, eventLoopDelayP99Ms: 20, windowMs: 10_000, saturated: false };
const busy = { eventLoopUtilization: 0.974, eventLoopDelayP99Ms: 120.4, windowMs: 10_000, saturated: true };
const LIMITS = "these figures reflect lblab's limits, not the servers' or the algorithm's";

describe('runWarnings', () => {
  it('says nothing for a run within lblab limits, or one written before it measured them', () => {
    expect(runWarnings({ saturation: { generator: calm, balancer: calm } })).toEqual([]);
    expect(runWarnings({ saturation: { generator: calm, balancer: null } })).toEqual([]);
    expect(runWarnings({})).toEqual([]);
  });

  it('says plainly which part of lblab was saturated, with its figures', () => {
    expect(runWarnings({ saturation: { generator: busy, balancer: busy } })).toEqual([
      `warning: the balancer was saturated (event loop 97% busy, delay p99 120 ms): ${LIMITS}`,
      `warning: the load generator was saturated (event loop 97% busy, delay p99 120 ms): ${LIMITS}`,
    ]);
  });

  it('says when the balancer died and that the results are partial', () => {
    expect(runWarnings({ balancerDied: { atMs: 4256, reason: 'the balancer exited' } })).toEqual([
      'warning: the balancer died 4.3 s into the run (the balancer exited); the load stopped there and these results are partial',
    ]);
  });

  it('puts the warnings under the first line of the summary table', () => {
    const lines = formatSummaryTable({ ...realisticSummary(), saturation: { generator: calm, balancer: busy } }).split('\n');
    expect(lines[1]).toBe(`warning: the balancer was saturated (event loop 97% busy, delay p99 120 ms): ${LIMITS}`);
    expect(lines[2]).toBe('');
  });
});
