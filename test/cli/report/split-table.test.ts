import { describe, expect, it } from 'vitest';
import { renderSplitChart } from '../../../cli/report/charts/split-chart.js';
import type { RunSummary } from '../../../cli/report/run-summary.js';
import { formatSplitTable, splitTable, splitTableMarkdown } from '../../../cli/report/split-table.js';
import { pngSize } from './fixtures/png.js';
import { algorithmSummaries } from './fixtures/realistic-run.js';

/** Three passes of the same lab: tcp with 2 keep-alive connections, http, tcp with a connection per request. */
function passes(): RunSummary[] {
  const [a, b, c] = algorithmSummaries().summaries as [RunSummary, RunSummary, RunSummary];
  return [
    { ...a, lab: { ...a.lab, pass: 'tcp keep-alive', mode: 'tcp', connection: 'keep-alive' }, connections: { total: 2, byServer: { server1: 0, server2: 1, server3: 1 } } },
    { ...b, lab: { ...b.lab, pass: 'http keep-alive', mode: 'http', connection: 'keep-alive' } },
    { ...c, lab: { ...c.lab, pass: 'tcp new', mode: 'tcp', connection: 'new' }, connections: { total: 10_000, byServer: { server1: 3334, server2: 3333, server3: 3333 } } },
  ];
}

describe('the per-server split by pass', () => {
  it('has a row per pass with request shares, and connections in tcp mode only', () => {
    const table = splitTable(passes());
    expect(table.servers).toEqual(['server1', 'server2', 'server3']);
    expect(table.rows.map((row) => [row.pass, row.mode, row.connection, row.connections])).toEqual([
      ['tcp keep-alive', 'tcp', 'keep-alive', 2],
      ['http keep-alive', 'http', 'keep-alive', undefined],
      ['tcp new', 'tcp', 'new', 10_000],
    ]);
    expect(table.rows[0]?.cells.map((cell) => cell.connections)).toEqual([0, 1, 1]);
    expect(table.rows[1]?.cells.map((cell) => cell.connections)).toEqual([undefined, undefined, undefined]);
  });

  it('prints as text and as Markdown', () => {
    const text = formatSplitTable(passes());
    expect(text.split('\n')[0]).toMatch(/^pass +mode +connection +requests +connections +server1 +server2 +server3$/);
    expect(text).toMatch(/http keep-alive +http +keep-alive +10,000 +- +31\.2% +34\.8% +34\.0%/);
    const markdown = splitTableMarkdown(passes());
    expect(markdown[0]).toBe('| pass | mode | connection | requests | connections | server1 | server2 | server3 |');
    expect(markdown[2]).toBe('| tcp keep-alive | tcp | keep-alive | 10,000 | 2 | 33.3% (0 conn) | 33.3% (1 conn) | 33.3% (1 conn) |');
  });

  it('draws split.png: two panels, requests then connections', async () => {
    const png = await renderSplitChart(passes());
    expect(pngSize(png)).toEqual({ widthPx: 1000, heightPx: 880 });
    await expect(renderSplitChart([])).rejects.toThrow('renderSplitChart needs at least one pass, received 0');
  });
});
