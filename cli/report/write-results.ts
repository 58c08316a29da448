import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAlgorithmsChart, type ComparedBy } from './charts/algorithms-chart.js';
import { renderDistributionChart } from './charts/distribution-chart.js';
import { renderLatencyChart } from './charts/latency-chart.js';
import { renderRemapChart } from './charts/remap-chart.js';
import { renderTimelineChart } from './charts/timeline-chart.js';
import { buildReportHtml } from './report-html.js';
import { buildReportMarkdown, type ReportCharts } from './report-markdown.js';
import type { RunSummary } from './run-summary.js';

export interface WriteResultsExtra {
  /** Runs of the same lab under several algorithms: writes algorithms.png too. */
  /** `by`: what the passes differ in, named in the chart's titles (default algorithm). */
  readonly comparison?: { readonly summaries: readonly RunSummary[]; readonly labels: readonly string[]; readonly by?: ComparedBy };
}

export interface WriteResultsResult {
  /** Paths of the files written (dir joined with the file name), in this order: summary.json, the PNGs, report.md, report.html. */
  readonly files: string[];
}

/**
 * Writes summary.json, distribution.png, timeline.png, latency.png (and
 * algorithms.png for a comparison, remap.png when keys were remapped),
 * report.md and report.html into `dir` (created if missing).
 */
export async function writeResults(dir: string, summary: RunSummary, extra: WriteResultsExtra = {}): Promise<WriteResultsResult> {
  await mkdir(dir, { recursive: true });
  const pending: [string, Promise<Buffer | undefined>][] = [];
  if (extra.comparison !== undefined) pending.push(['algorithms.png', renderAlgorithmsChart(extra.comparison.summaries, extra.comparison.labels, { by: extra.comparison.by })]);
  pending.push(['timeline.png', renderTimelineChart(summary)], ['latency.png', renderLatencyChart(summary)], ['distribution.png', renderDistributionChart(summary)]);
  pending.push(['remap.png', renderRemapChart(summary)]);

  const files: string[] = [];
  const write = async (name: string, content: string | Buffer): Promise<void> => {
    const path = join(dir, name);
    await writeFile(path, content);
    files.push(path);
  };
  await write('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  const images = new Map<string, Buffer>();
  for (const [name, png] of pending) {
    const buffer = await png;
    if (buffer === undefined) continue;
    images.set(name, buffer);
    await write(name, buffer);
  }
  const reportCharts: ReportCharts = Object.fromEntries([...images.keys()].map((name) => [name.replace(/\.png$/, ''), name]));
  await write('report.md', buildReportMarkdown(summary, reportCharts));
  await write('report.html', buildReportHtml(summary, images));
  return { files };
}
