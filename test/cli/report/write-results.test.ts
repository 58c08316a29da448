import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeResults } from '../../../cli/report/write-results.js';
import { algorithmSummaries, realisticSummary } from './fixtures/realistic-run.js';
import { pngSize } from './fixtures/png.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('writeResults', () => {
  it('writes summary.json, the three PNGs, report.md and a self-contained report.html into a new directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lblab-report-'));
    dirs.push(root);
    const dir = join(root, 'results', 'run-1');
    const summary = realisticSummary();
    const { files } = await writeResults(dir, summary);
    expect(files).toEqual(['summary.json', 'timeline.png', 'latency.png', 'distribution.png', 'report.md', 'report.html'].map((name) => join(dir, name)));

    expect(JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'))).toEqual(summary);
    for (const png of ['distribution.png', 'timeline.png', 'latency.png']) {
      expect(pngSize(await readFile(join(dir, png)))).toEqual({ widthPx: 1000, heightPx: 600 });
    }
    const report = await readFile(join(dir, 'report.md'), 'utf8');
    expect(report.startsWith('# kill-and-revive — round-robin\n')).toBe(true);
    expect(report).toContain('| server1 | 1,450 | 40.3% | 0 | 1.40 | 3.60 | 12.5 | – | 1,002 |');
    expect(report).toContain('| ❌ fail | latency.p99Ms | < 100 | 120.4 |');
    expect(report).toContain('| 3.00s | kill server2 | action |');
    expect(report).toContain('| 4.00s | server2 down | health (balancer) |');
    expect(report).toContain('](distribution.png)');
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<h1>kill-and-revive — round-robin</h1>');
    expect(html.match(/src="data:image\/png;base64,/g)?.length).toBe(3);
    expect(html).not.toMatch(/src="(?!data:)/);
    expect(report).toContain('](timeline.png)');
    expect(report).toContain('](latency.png)');
    expect(report).not.toContain('algorithms.png');
  });

  it('writes algorithms.png for a comparison', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lblab-report-'));
    dirs.push(dir);
    const { files } = await writeResults(dir, realisticSummary(), { comparison: algorithmSummaries() });
    expect(files).toContain(join(dir, 'algorithms.png'));
    expect(pngSize(await readFile(join(dir, 'algorithms.png'))).widthPx).toBe(1000);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('](algorithms.png)');
  });
});
