import { describe, expect, it } from 'vitest';
import type { ChartConfiguration } from 'chart.js';
import { buildAlgorithmsChart, renderAlgorithmsChart } from '../../../cli/report/charts/algorithms-chart.js';
import { buildDistributionChart, evenShares, renderDistributionChart } from '../../../cli/report/charts/distribution-chart.js';
import { buildLatencyChart, percentileX, renderLatencyChart } from '../../../cli/report/charts/latency-chart.js';
import { buildRemapChart, renderRemapChart } from '../../../cli/report/charts/remap-chart.js';
import { ACTION_LEGEND, HEALTH_LEGEND } from '../../../cli/report/charts/run-events.js';
import { buildTimelineChart, LINE_WIDTH_PX, renderTimelineChart } from '../../../cli/report/charts/timeline-chart.js';
import { algorithmLabel } from '../../../cli/report/algorithm-label.js';
import { listBuiltinScenarios } from '../../../cli/scenario/builtins.js';
import { loadScenarioFile } from '../../../cli/scenario/load-scenario.js';
import { syntheticScenarioRun } from './fixtures/synthetic-scenario-run.js';
import { pngSize } from './fixtures/png.js';

/** Datasets that only put a symbol in the legend (drawn by plugins). */
const LEGEND_ONLY = new Set([ACTION_LEGEND, HEALTH_LEGEND, 'failover window (shaded)', 'even share', 'even share (weighted by time in the lab)']);

interface Dataset {
  readonly label?: string;
  readonly data: readonly (number | { x: number; y: number | null } | null)[];
}

function datasetsOf(configuration: ChartConfiguration): Dataset[] {
  return configuration.data.datasets as unknown as Dataset[];
}

/** Values plotted by a dataset (nulls are gaps). */
function values(dataset: Dataset): number[] {
  return dataset.data.map((point) => (point !== null && typeof point === 'object' ? point.y : point)).filter((y): y is number => y !== null && Number.isFinite(y));
}

/** A blank chart fails here: every data series has at least two points, and the chart draws something other than zero. */
function expectEveryDatasetDrawn(name: string, configuration: ChartConfiguration): void {
  const datasets = datasetsOf(configuration).filter((dataset) => !LEGEND_ONLY.has(dataset.label ?? ''));
  expect(datasets.length, `${name}: no datasets`).toBeGreaterThan(0);
  const isLine = configuration.type === 'line';
  for (const dataset of datasets) {
    expect(values(dataset).length, `${name}: dataset "${dataset.label}" has ${values(dataset).length} points`).toBeGreaterThanOrEqual(isLine ? 2 : 1);
  }
  expect(Math.max(...datasets.flatMap(values)), `${name}: every value is 0`).toBeGreaterThan(0);
}

const builtins = await listBuiltinScenarios();

describe('charts of every built-in scenario (synthetic runs)', () => {
  it('finds the built-in scenarios', () => {
    expect(builtins.map((b) => b.name)).toEqual(expect.arrayContaining(['algorithms', 'distribution-1k', 'kill-revive', 'post-fanout', 'scale-out']));
  });

  for (const builtin of builtins) {
    it(`${builtin.name}: every chart has its data`, async () => {
      const scenario = await loadScenarioFile(builtin.file);
      const { summary, passes } = syntheticScenarioRun(scenario);
      const runs = [summary, ...passes];
      for (const [index, run] of runs.entries()) {
        const label = index === 0 ? builtin.name : `${builtin.name} pass ${algorithmLabel(run.lab)}`;
        const timeline = buildTimelineChart(run);
        expectEveryDatasetDrawn(`${label} timeline`, timeline.configuration);
        const points = values(datasetsOf(timeline.configuration).find((d) => d.label === 'total') ?? { data: [] });
        expect(points.length, `${label}: timeline points`).toBeGreaterThanOrEqual(Math.min(50, Math.floor(run.durationMs / 1000)));
        expectEveryDatasetDrawn(`${label} latency`, buildLatencyChart(run));
        expectEveryDatasetDrawn(`${label} distribution`, buildDistributionChart(run).configuration);
        const remap = buildRemapChart(run);
        if (remap !== undefined) expectEveryDatasetDrawn(`${label} remap`, remap);
      }
      if (passes.length > 0) {
        const model = buildAlgorithmsChart(passes, passes.map((pass) => algorithmLabel(pass.lab)));
        expectEveryDatasetDrawn(`${builtin.name} algorithms share`, model.share);
        expectEveryDatasetDrawn(`${builtin.name} algorithms latency`, model.latency);
        expect(summary.passes?.map((pass) => pass.algorithm)).toEqual(scenario.algorithms);
        expect(summary.lab.algorithm).toEqual(scenario.algorithms);
      }
    });
  }
});

describe('timeline chart', () => {
  it('draws total, servers and errors at one width, errors on top, the balancer\'s own 502s named, failover shaded', async () => {
    const scenario = await loadScenarioFile(builtins.find((b) => b.name === 'kill-revive')?.file ?? '');
    const { summary } = syntheticScenarioRun(scenario);
    const model = buildTimelineChart(summary);
    const datasets = datasetsOf(model.configuration) as (Dataset & { borderWidth?: number; order?: number })[];
    const drawn = datasets.filter((d) => !LEGEND_ONLY.has(d.label ?? ''));
    expect(new Set(drawn.map((d) => d.borderWidth))).toEqual(new Set([LINE_WIDTH_PX]));
    const errors = drawn.find((d) => d.label?.startsWith('errors'));
    expect(errors?.order).toBe(Math.min(...drawn.map((d) => d.order ?? 0)));
    expect(drawn.map((d) => d.label)).toContain("balancer's own 502 (server failed)");
    expect(model.shaded.length).toBeGreaterThan(0);
    // Points sit at bucket centres: the first is half a bucket in.
    const first = (datasets.find((d) => d.label === 'total')?.data[0] ?? null) as { x: number } | null;
    expect(first?.x).toBeCloseTo((summary.timeline?.bucketMs ?? 0) / 2000, 6);
  });
});

describe('latency and distribution charts', () => {
  it('puts percentiles on the HdrHistogram axis', () => {
    expect([0, 90, 99, 99.9, 99.99].map((p) => Number(percentileX(p).toFixed(6)))).toEqual([0, 1, 2, 3, 4]);
  });

  it('weights the even share by time in the lab and drops it for fan-out', async () => {
    const scaleOut = syntheticScenarioRun(await loadScenarioFile(builtins.find((b) => b.name === 'scale-out')?.file ?? '')).summary;
    const shares = evenShares(scaleOut);
    expect((shares?.get('server4') ?? 0) / (shares?.get('server1') ?? 1)).toBeCloseTo(5 / 12, 1);
    const fanout = syntheticScenarioRun(await loadScenarioFile(builtins.find((b) => b.name === 'post-fanout')?.file ?? '')).summary;
    expect(evenShares(fanout)).toBeUndefined();
  });
});

describe('PNG rendering (one per chart kind)', () => {
  it('renders timeline, latency, distribution, remap and algorithms as PNGs', async () => {
    const scaleOut = syntheticScenarioRun(await loadScenarioFile(builtins.find((b) => b.name === 'scale-out')?.file ?? '')).summary;
    expect(pngSize(await renderTimelineChart(scaleOut))).toEqual({ widthPx: 1000, heightPx: 600 });
    expect(pngSize(await renderLatencyChart(scaleOut))).toEqual({ widthPx: 1000, heightPx: 600 });
    expect(pngSize(await renderDistributionChart(scaleOut, { widthPx: 800, heightPx: 400 }))).toEqual({ widthPx: 800, heightPx: 400 });
    const remap = await renderRemapChart(scaleOut);
    expect(remap === undefined ? undefined : pngSize(remap)).toEqual({ widthPx: 1000, heightPx: 600 });
    const { passes } = syntheticScenarioRun(await loadScenarioFile(builtins.find((b) => b.name === 'algorithms')?.file ?? ''));
    const png = await renderAlgorithmsChart(passes, passes.map((pass) => algorithmLabel(pass.lab)));
    expect(pngSize(png).heightPx).toBe(480 + 90 + 60 * passes.length);
  });

  it('algorithms chart names what the passes differ in, and one duration when every pass took the same', async () => {
    const { passes } = syntheticScenarioRun(await loadScenarioFile(builtins.find((b) => b.name === 'algorithms')?.file ?? ''));
    const labels = passes.map((_, index) => `pass ${index + 1}`);
    const titles = (model: ReturnType<typeof buildAlgorithmsChart>) => {
      const plugins = (model.share.options as { plugins: { title: { text: string }; subtitle: { text: string } } }).plugins;
      return { title: plugins.title.text, subtitle: plugins.subtitle.text };
    };
    const byBalancer = titles(buildAlgorithmsChart(passes, labels, 'balancer'));
    expect(byBalancer.title).toBe('Share of requests per server, by balancer');
    const seconds = new Set(passes.map((pass) => Math.round(pass.durationMs / 1000)));
    expect(seconds.size).toBe(1);
    expect(byBalancer.subtitle).toContain(`one pass per balancer, ${[...seconds][0]} s each`);
    expect(titles(buildAlgorithmsChart(passes, labels)).title).toBe('Share of requests per server, by algorithm');
  });

  it('algorithms chart needs one label per summary', () => {
    expect(() => buildAlgorithmsChart([], ['a'])).toThrow('renderAlgorithmsChart needs one label per summary and at least one summary, received 0 summaries and 1 labels');
  });
});
