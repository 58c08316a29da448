import { describe, expect, it } from 'vitest';
import { passRow } from '../../../cli/report/pass-row.js';
import { textbookVerdict } from '../../../cli/report/report-blocks.js';
import type { RunSummary } from '../../../cli/report/run-summary.js';
import { algorithmSummaries, realisticSummary } from './fixtures/realistic-run.js';

const WORKERS = { server1: 'latencyMs=10 concurrency=4', server2: 'latencyMs=30 concurrency=4', server3: 'latencyMs=1-19 concurrency=4' };
const SLEEPS = { server1: 'latencyMs=10', server2: 'latencyMs=30', server3: 'latencyMs=1-19' };

function shootOut(faults: Record<string, string>, leastConnectionsP99Ms?: number, saturated = false): RunSummary {
  const passes = algorithmSummaries().summaries.map(passRow).map((pass) =>
    pass.algorithm === 'least-connections' && leastConnectionsP99Ms !== undefined ? { ...pass, p99Ms: leastConnectionsP99Ms } : pass,
  );
  const base = realisticSummary();
  return {
    ...base,
    passes,
    initialFaults: faults,
    ...(saturated
      ? { saturation: { generator: { eventLoopUtilization: 0.5, eventLoopDelayP99Ms: 5, windowMs: 1_000, saturated: false }, balancer: { eventLoopUtilization: 1, eventLoopDelayP99Ms: 400, windowMs: 1_000, saturated: true } } }
      : {}),
  } as RunSummary;
}

describe('textbookVerdict (the shoot-out paragraph in report.md)', () => {
  it('when the load-aware algorithms keep the tail lower: says so and, with workers, why', () => {
    const [line] = textbookVerdict(shootOut(WORKERS));
    expect(line).toMatch(/^The textbook result shows: power-of-two and least-connections keep p99 at or below 5\.10 ms, round-robin and random at 6\.20 ms or more\./);
    expect(line).toContain('its queue grows for the whole pass');
  });

  it('when it does not show, names the reason: no worker limit, lblab saturated, or a rate within the slow server\'s share', () => {
    expect(textbookVerdict(shootOut(SLEEPS, 9))[0]).toContain('No server has a worker limit (concurrency in lab.faults)');
    expect(textbookVerdict(shootOut(WORKERS, 9, true))[0]).toContain('lblab itself was saturated during the run');
    const within = textbookVerdict(shootOut(WORKERS, 9))[0] ?? '';
    expect(within).toMatch(/^The textbook result does not show clearly: the worst p99 of power-of-two and least-connections is 9\.00 ms/);
    expect(within).toContain("within what the slowest server's workers can serve at an even share");
    expect(within).not.toContain('a sleep, not work');
  });
});
