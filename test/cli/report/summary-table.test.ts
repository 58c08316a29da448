import { describe, expect, it } from 'vitest';
import { formatSummaryTable } from '../../../cli/report/summary-table.js';
import { realisticSummary } from './fixtures/realistic-run.js';

describe('formatSummaryTable', () => {
  it('prints the numbers of summary.json, totals and thresholds', () => {
    expect(formatSummaryTable(realisticSummary())).toBe(
      [
        'kill-and-revive · round-robin · 3,600 requests in 12s · 299.9 req/s',
        '',
        'server   requests   share  p50 ms  p99 ms  errors',
        'server1     1,450   40.3%     1.4    12.5       0',
        'server2       600   16.7%     1.4     9.1       0',
        'server3     1,450   40.3%     1.4    12.8       0',
        '(none)        100    2.8%     1.1       3     100',
        'total       3,600  100.0%     1.5   120.4     100',
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

  it('lists error codes and leaves out thresholds when there are none', () => {
    const summary = { ...realisticSummary(), thresholds: [], errorCodes: { ECONNREFUSED: 12 } };
    const text = formatSummaryTable(summary);
    expect(text).toContain('\nno response: ECONNREFUSED: 12\n');
    expect(text).not.toContain('thresholds');
  });
});
