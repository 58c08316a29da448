import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAlgorithmsChart } from './charts/algorithms-chart.js';
import { renderDistributionChart } from './charts/distribution-chart.js';
import { renderLatencyChart } from './charts/latency-chart.js';
import { renderTimelineChart } from './charts/timeline-chart.js';
import { buildReportMarkdown, type ReportCharts } from './report-markdown.js';
import type { RunSummary } from './run-summary.js';

export interface WriteResultsExtra {
  /** Runs of the same lab under several algorithms: writes algorithms.png too. */
  readonly comparison?: { readonly summaries: readonly RunSummary[]; readonly labels: readonly string[] };
}

export interface WriteResultsResult {
  /** Paths of the files written (dir joined with the file name), in this order: summary.json, the PNGs, report.md. */
  readonly files: string[];
}

/** Writes summary.json, distribution.png, timeline.png, latency.png (and algorithms.png for a comparison) and report.md into `dir` (created if missing). */
export async function writeResults(dir: string, summary: RunSummary, extra: WriteResultsExtra = {}): Promise<WriteResultsResult> {
  await mkdir(dir, { recursive: true });
  const charts: Record<string, Promise<Buffer>> = {
    'distribution.png': renderDistributionChart(summary),
    'timeline.png': renderTimelineChart(summary),
    'latency.png': renderLatencyChart(summary),
  };
  if (extra.comparison !== undefined) charts['algorithms.png'] = renderAlgorithmsChart(extra.comparison.summaries, extra.comparison.labels);

  const files: string[] = [];
  const write = async (name: string, content: string | Buffer): Promise<void> => {
    const path = join(dir, name);
    await writeFile(path, content);
    files.push(path);
  };
  await write('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  for (const [name, png] of Object.entries(charts)) await write(name, await png);
  const reportCharts: ReportCharts = {
    distribution: 'distribution.png',
    timeline: 'timeline.png',
    latency: 'latency.png',
    ...(extra.comparison !== undefined ? { algorithms: 'algorithms.png' } : {}),
  };
  await write('report.md', buildReportMarkdown(summary, reportCharts));
  return { files };
}
