import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../cli/report/run-summary.js';
import { parseComparison } from '../../../cli/scenario/comparison.js';
import { evaluateThresholds, failedThresholdLine, type ThresholdSpecs } from '../../../cli/scenario/thresholds.js';

function summaryOf(fields: {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  p99Ms: number;
  shares: Record<string, number>;
}): RunSummary {
  const server = (name: string, share: number) => ({
    name,
    requests: Math.round(share * fields.requests),
    share,
    errors: 0,
    p50Ms: 1,
    p90Ms: 2,
    p99Ms: 3,
    maxMs: 4,
  });
  return {
    scenario: 't',
    seed: 1,
    lab: { algorithm: 'round-robin', servers: Object.keys(fields.shares) },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1000,
    totals: { requests: fields.requests, errors: fields.errors, dropped: 0, cancelled: 0, ratePerSec: fields.requests },
    servers: Object.entries(fields.shares).map(([name, share]) => server(name, share)),
    statuses: fields.statuses,
    errorCodes: {},
    latency: { p50Ms: 5, p90Ms: 50, p99Ms: fields.p99Ms, maxMs: 400, meanMs: 10 },
    series: [],
    actions: [],
    healthChanges: [],
    thresholds: [],
  };
}

const run = summaryOf({
  requests: 1000,
  errors: 12,
  statuses: { '200': 600, '201': 300, '403': 88, '502': 10, error: 2 },
  p99Ms: 312.4,
  shares: { server1: 0.5, server2: 0.3, server3: 0.198, '(no response)': 0.002 },
});

const cmp = (text: string) => {
  const comparison = parseComparison(text);
  if (comparison === undefined) throw new Error(`bad comparison ${text}`);
  return comparison;
};

describe('evaluateThresholds', () => {
  it.each<[string, ThresholdSpecs, { expected: string; measured: number; pass: boolean; server?: string }]>([
    ['errors: a bare number is an upper bound', { errors: 12 }, { expected: '<= 12', measured: 12, pass: true }],
    ['errors: 0 fails with 12', { errors: 0 }, { expected: '<= 0', measured: 12, pass: false }],
    ['errorRate: errors / requests', { errorRate: cmp('< 0.01') }, { expected: '< 0.01', measured: 0.012, pass: false }],
    ['okRate: 2xx / requests, a bare number is a lower bound', { okRate: 0.9 }, { expected: '>= 0.9', measured: 0.9, pass: true }],
    ['requests: a bare number is exact', { requests: 999 }, { expected: '== 999', measured: 1000, pass: false }],
    ['requests == 1000', { requests: cmp('== 1000') }, { expected: '== 1000', measured: 1000, pass: true }],
    ['requests = 1000 reads as ==', { requests: cmp('= 1000') }, { expected: '== 1000', measured: 1000, pass: true }],
    ['p99Ms < 200 fails at 312.4', { p99Ms: cmp('< 200') }, { expected: '< 200', measured: 312.4, pass: false }],
    ['p99Ms: a bare number is an upper bound', { p99Ms: 312.4 }, { expected: '<= 312.4', measured: 312.4, pass: true }],
    ['p50Ms > 1', { p50Ms: cmp('>1') }, { expected: '> 1', measured: 5, pass: true }],
    ['p90Ms >= 60', { p90Ms: cmp('>= 60') }, { expected: '>= 60', measured: 50, pass: false }],
    ['maxShare: the busiest server', { maxShare: cmp('< 0.4') }, { expected: '< 0.4', measured: 0.5, pass: false, server: 'server1' }],
    ['minShare: the idlest server, buckets left out', { minShare: 0.2 }, { expected: '>= 0.2', measured: 0.198, pass: false, server: 'server3' }],
  ])('%s', (_what, specs, expected) => {
    const [result] = evaluateThresholds(run, specs);
    expect(result).toEqual({ name: Object.keys(specs)[0], ...expected });
  });

  it('keeps a fixed order and prefixes names for a pass', () => {
    const results = evaluateThresholds(run, { p99Ms: 500, errors: 20, requests: 1000 }, 'maglev: ');
    expect(results.map((r) => r.name)).toEqual(['maglev: requests', 'maglev: errors', 'maglev: p99Ms']);
    expect(results.every((r) => r.pass)).toBe(true);
  });

  it('measures an empty run as zeros', () => {
    const empty = summaryOf({ requests: 0, errors: 0, statuses: {}, p99Ms: 0, shares: {} });
    expect(evaluateThresholds(empty, { errorRate: 0, okRate: 1, maxShare: 1 }).map((r) => [r.name, r.measured, r.pass])).toEqual([
      ['errorRate', 0, true],
      ['okRate', 0, false],
      ['maxShare', 0, true],
    ]);
  });
});

describe('failedThresholdLine', () => {
  it('names the threshold, the bound and the measured value', () => {
    const [p99] = evaluateThresholds(run, { p99Ms: cmp('< 200') });
    const [share] = evaluateThresholds(run, { maxShare: cmp('< 0.4') });
    expect(p99 && failedThresholdLine(p99)).toBe('threshold p99Ms < 200 failed: measured 312.4');
    expect(share && failedThresholdLine(share)).toBe('threshold maxShare < 0.4 failed: measured 0.5 (server1)');
  });
});

describe('parseComparison', () => {
  it.each([
    ['< 200', { operator: '<', value: 200 }],
    ['<=0.01', { operator: '<=', value: 0.01 }],
    [' >= -1.5 ', { operator: '>=', value: -1.5 }],
    ['== 1e3', { operator: '==', value: 1000 }],
  ])('reads %j', (text, expected) => {
    expect(parseComparison(text)).toEqual(expected);
  });

  it.each(['200', '< fast', '<< 3', '=> 2', '', '< 200ms'])('rejects %j', (text) => {
    expect(parseComparison(text)).toBeUndefined();
  });
});
