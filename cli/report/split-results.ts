import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSplitChart } from './charts/split-chart.js';
import type { RunSummary } from './run-summary.js';
import { splitTableMarkdown } from './split-table.js';

/**
 * For runs whose passes differ in balancer mode and connection policy:
 * writes split.png and adds the split table and chart to report.md (written
 * before by writeResults). Returns the files written.
 */
export async function writeSplitResults(dir: string, passes: readonly RunSummary[]): Promise<string[]> {
  const chart = join(dir, 'split.png');
  await writeFile(chart, await renderSplitChart(passes));
  const section = [
    '',
    '## Per-server split by pass',
    '',
    'Share of requests per server; in tcp mode, with the client connections the balancer relayed to it.',
    '',
    ...splitTableMarkdown(passes),
    '',
    '![Share of requests and of connections per server, by pass](split.png)',
    '',
  ];
  await appendFile(join(dir, 'report.md'), section.join('\n'));
  return [chart];
}
