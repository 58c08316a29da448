import { describe, expect, it } from 'vitest';
import { renderAlgorithmsChart } from '../../../cli/report/charts/algorithms-chart.js';
import { distributionTitle, renderDistributionChart } from '../../../cli/report/charts/distribution-chart.js';
import { latencyUsesLogScale, renderLatencyChart } from '../../../cli/report/charts/latency-chart.js';
import { renderTimelineChart } from '../../../cli/report/charts/timeline-chart.js';
import { buildSummary } from '../../../cli/report/summary.js';
import { algorithmSummaries, realisticLoadResult, realisticSummary } from './fixtures/realistic-run.js';
import { pngSize } from './fixtures/png.js';

describe('charts', () => {
  const summary = realisticSummary();

  it('distribution.png is a 1000×600 PNG', async () => {
    expect(pngSize(await renderDistributionChart(summary))).toEqual({ widthPx: 1000, heightPx: 600 });
  });

  it('distribution title names the scenario, the count and the algorithm', () => {
    expect(distributionTitle(summary)).toBe('Requests per server — kill-and-revive (3,600 requests, round-robin)');
  });

  it('timeline.png is a PNG of the size asked for', async () => {
    expect(pngSize(await renderTimelineChart(summary, { widthPx: 800, heightPx: 400 }))).toEqual({ widthPx: 800, heightPx: 400 });
  });

  it('latency.png is a 1000×600 PNG, on a log scale when p99 dwarfs p50', async () => {
    expect(pngSize(await renderLatencyChart(summary))).toEqual({ widthPx: 1000, heightPx: 600 });
    expect(latencyUsesLogScale(summary)).toBe(true);
  });

  it('algorithms.png stacks the share and p99 panels', async () => {
    const { summaries, labels } = algorithmSummaries();
    expect(pngSize(await renderAlgorithmsChart(summaries, labels))).toEqual({ widthPx: 1000, heightPx: 520 + 60 + 45 * 4 });
  });

  it('algorithms chart needs one label per summary', async () => {
    const { summaries } = algorithmSummaries();
    await expect(renderAlgorithmsChart(summaries, ['a'])).rejects.toMatchObject({
      code: 'LBLAB_BAD_INPUT',
      message: 'renderAlgorithmsChart needs one label per summary and at least one summary, received 4 summaries and 1 labels',
    });
  });

  it('renders a run with no requests at all', async () => {
    const empty = buildSummary({
      result: { ...realisticLoadResult(), requests: 0, errors: 0, byServer: {}, byStatus: {}, ticks: [], latency: { p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 } },
      scenario: 'empty',
      lab: { algorithm: 'round-robin', servers: ['server1'] },
      startedAt: '2025-01-01T00:00:00.000Z',
    });
    for (const render of [renderDistributionChart, renderTimelineChart, renderLatencyChart]) {
      expect(pngSize(await render(empty))).toEqual({ widthPx: 1000, heightPx: 600 });
    }
  });
});
