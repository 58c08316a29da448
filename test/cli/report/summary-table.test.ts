import { describe, expect, it } from 'vitest';
import { formatSummaryTable } from '../../../cli/report/summary-table.js';
import { realisticSummary } from './fixtures/realistic-run.js';

describe('formatSummaryTable', () => {
  it('prints the numbers of summary.json, totals and thresholds', () => {
    expect(formatSummaryTable(realisticSummary())).toBe(
      [
        'kill-and-revive · round-robin · 3,600 requests in 12s · 299.9 req/s',
        '',
        'server   requests   share  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  errors',
        'server1     1,450   40.3%    1.40    3.60    12.5         –   1,002       0',
        'server2       600   16.7%    1.40    3.60    9.10         –   1,002       0',
        'server3     1,450   40.3%    1.40    3.60    12.8         –   1,002       0',
        '(none)        100    2.8%    1.10    2.00    3.00         –    4.00     100',
        'total       3,600  100.0%    1.50    3.80   120.4         –   1,002     100',
        '',
        'statuses 200: 3,500  502: 100 · dropped 0 · cancelled 0',
        '',
        'thresholds: 1 of 2 passed',
        '  PASS  errors.rate    expected < 0.05  measured 0.0278',
        '  FAIL  latency.p99Ms  expected < 100   measured 120.4',
        '',
      ].join('\n'),
    );
  });

  it('shows – for a server that served nothing, and warns plainly when lblab was saturated', () => {
    const base = realisticSummary();
    const summary = {
      ...base,
      servers: [...base.servers, { name: 'server4', requests: 0, share: 0, errors: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 }],
      saturation: { generator: { eventLoopUtilization: 0.97, eventLoopDelayP99Ms: 80, windowMs: 1000, saturated: true }, balancer: null },
    };
    const text = formatSummaryTable(summary);
    expect(text).toContain('server4         0    0.0%       –       –       –         –       –       0');
    expect(text).toContain(
      "warning: the load generator was saturated (event loop 97% busy, delay p99 80 ms): these figures reflect lblab's limits, not the servers' or the algorithm's",
    );
  });

  it('lists error codes and leaves out thresholds when there are none', () => {
    const summary = { ...realisticSummary(), thresholds: [], errorCodes: { ECONNREFUSED: 12 } };
    const text = formatSummaryTable(summary);
    expect(text).toContain('\nno response: ECONNREFUSED: 12\n');
    expect(text).not.toContain('thresholds');
  });
});
