import { describe, expect, it } from 'vitest';

import { CoalescedReporter } from '../../../balancer/admin/coalesced-reporter.js';
import { waitFor } from '../fixtures/wait-for.js';

describe('CoalescedReporter', () => {
  it('reports the first at once and the rest of the window together, with their count', async () => {
    let nowMs = 0;
    const reports: [number, string][] = [];
    const reporter = new CoalescedReporter({ windowMs: 30, now: () => nowMs, report: (count, detail) => reports.push([count, detail]) });

    reporter.add('a');
    reporter.add('b');
    reporter.add('c');
    expect(reports).toEqual([[1, 'a']]);
    nowMs = 30;
    await waitFor(() => reports.length === 2, { what: 'the window to close' });
    expect(reports).toEqual([
      [1, 'a'],
      [2, 'c'],
    ]);

    reporter.add('d');
    reporter.flush();
    expect(reports.at(-1)).toEqual([1, 'd']);
  });
});
