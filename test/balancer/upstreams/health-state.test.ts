import { describe, expect, it } from 'vitest';

import type { ServerHealth } from '../../../balancer/api-types.js';
import { nextHealthStep, type HealthCounts } from '../../../balancer/upstreams/health-state.js';

const thresholds = { fall: 2, rise: 3 };

/** Runs a sequence of results ('+' passed, '-' failed) and returns the health after each. */
function run(start: ServerHealth, everUp: boolean, results: string): string[] {
  let health = start;
  let counts: HealthCounts = { passed: 0, failed: 0 };
  let up = everUp;
  const seen: string[] = [];
  for (const symbol of results) {
    const step = nextHealthStep(health, up, counts, { ok: symbol === '+', reason: 'ECONNREFUSED' }, thresholds);
    counts = step.counts;
    if (step.to !== undefined) {
      health = step.to;
      if (health === 'up') up = true;
    }
    seen.push(health);
  }
  return seen;
}

describe('nextHealthStep', () => {
  it.each([
    ['a new server comes up on its first passed check', 'down', false, '-+', ['down', 'up']],
    ['up goes down after fall consecutive failures', 'up', true, '-+--', ['up', 'up', 'up', 'down']],
    ['down comes back after rise consecutive passes', 'down', true, '++-+++', ['down', 'down', 'down', 'down', 'down', 'up']],
  ] as const)('%s', (_label, start, everUp, results, expected) => {
    expect(run(start, everUp, results)).toEqual(expected);
  });

  it('says why in the detail', () => {
    expect(nextHealthStep('up', true, { passed: 0, failed: 1 }, { ok: false, reason: 'timeout after 40 ms' }, thresholds)).toEqual({
      counts: { passed: 0, failed: 2 },
      to: 'down',
      detail: '2 failed checks: timeout after 40 ms',
    });
    expect(nextHealthStep('down', true, { passed: 2, failed: 0 }, { ok: true, reason: 'status 200' }, thresholds).detail).toBe('3 passed checks');
    expect(nextHealthStep('down', false, { passed: 0, failed: 4 }, { ok: true, reason: 'status 200' }, thresholds).detail).toBe(
      'first check passed',
    );
  });
});
