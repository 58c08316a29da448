import { buildReportBlocks, type ReportBlock, type ReportCharts } from './report-blocks.js';
import type { RunSummary } from './run-summary.js';

export type { ReportCharts } from './report-blocks.js';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function blockLines(block: ReportBlock): string[] {
  switch (block.kind) {
    case 'heading':
      return [`${'#'.repeat(block.level)} ${block.text}`];
    case 'paragraph':
      return [block.warning === true ? `> **${block.text}**` : block.text];
    case 'image':
      return [`![${block.alt}](${block.file})`];
    case 'table': {
      const align = block.header.map((_h, index) => (index >= block.numericFrom ? '---:' : '---'));
      return [`| ${block.header.map(cell).join(' | ')} |`, `| ${align.join(' | ')} |`, ...block.rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
    }
  }
}

/** report.md: title, settings, the numbers as tables, failover, remap, thresholds, events, and the charts (relative links). Pure. */
export function buildReportMarkdown(summary: RunSummary, charts: ReportCharts): string {
  return `${buildReportBlocks(summary, charts).map((block) => blockLines(block).join('\n')).join('\n\n')}\n`;
}
