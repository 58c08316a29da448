import { describe, expect, it } from 'vitest';
import { formatMs, formatProgressLine } from '../../../cli/load/progress-line.js';
import type { LoadTick } from '../../../cli/load/types.js';

const tick: LoadTick = {
  atMs: 3000,
  intervalMs: 1000,
  byServer: { server2: 136, server10: 136, server1: 140 },
  errors: 0,
  byStatus: { '200': 412 },
  latency: { p50Ms: 1.234, p90Ms: 4, p99Ms: 8, maxMs: 20 },
  totalRequests: 1234,
  totalErrors: 0,
};

describe('formatProgressLine', () => {
  it('prints time, totals, rate, latency and shares in natural server order', () => {
    expect(formatProgressLine(tick, 120)).toBe('  3.0s  1,234 req  412 req/s  err 0  p50 1.2ms p99 8.0ms  server1 34% server2 33% server10 33%');
  });

  it('fits 80 columns: shares shortened, then summarised', () => {
    expect(formatProgressLine(tick)).toBe('  3.0s  1,234 req  412 req/s  err 0  p50 1.2ms p99 8.0ms  split 34/33/33%');
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`server${i + 1}`, 100 + (i % 2)]));
    const line = formatProgressLine({ ...tick, byServer: many });
    expect(line).toBe('  3.0s  1,234 req  1,206 req/s  err 0  p50 1.2ms p99 8.0ms  12 servers 8-8%');
    expect(line.length).toBeLessThanOrEqual(80);
  });

  it('scales the rate by the tick length and shows drops', () => {
    const partial: LoadTick = { ...tick, atMs: 12_500, intervalMs: 500, byServer: { server1: 100 }, totalErrors: 3, totalDropped: 12, latency: { p50Ms: 150, p90Ms: 200, p99Ms: 12_345, maxMs: 13_000 } };
    expect(formatProgressLine(partial)).toBe(' 12.5s  1,234 req  200 req/s  err 3  p50 150ms p99 12.35s  dropped 12  server1 100%');
  });

  it('prints an empty tick without shares', () => {
    expect(formatProgressLine({ ...tick, byServer: {}, totalRequests: 0, latency: { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 } })).toBe('  3.0s  0 req  0 req/s  err 0  p50 0.0ms p99 0.0ms');
  });
});

describe('formatMs', () => {
  it.each([
    [0.25, '0.3ms'],
    [99.94, '99.9ms'],
    [100, '100ms'],
    [9999, '9999ms'],
    [10_000, '10.00s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
