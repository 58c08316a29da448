import { buildReportBlocks, type ReportBlock } from './report-blocks.js';
import type { RunSummary } from './run-summary.js';

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function inlineCode(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function blockHtml(block: ReportBlock, images: ReadonlyMap<string, Buffer>): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}>${escape(block.text)}</h${block.level}>`;
    case 'paragraph':
      return block.warning === true ? `<p class="warning">${inlineCode(block.text)}</p>` : `<p>${inlineCode(block.text)}</p>`;
    case 'image': {
      const png = images.get(block.file);
      return png === undefined ? '' : `<figure><img alt="${escape(block.alt)}" src="data:image/png;base64,${png.toString('base64')}"><figcaption>${escape(block.alt)}</figcaption></figure>`;
    }
    case 'table': {
      const cls = (index: number): string => (index >= block.numericFrom ? ' class="n"' : '');
      const head = `<tr>${block.header.map((h, i) => `<th${cls(i)}>${escape(h)}</th>`).join('')}</tr>`;
      const rows = block.rows.map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${escape(c)}</td>`).join('')}</tr>`).join('\n');
      return `<table>\n${head}\n${rows}\n</table>`;
    }
  }
}

const STYLE = `body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}.n{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;border:1px solid #ddd}figure{margin:1.5em 0}figcaption{color:#555;font-size:90%}.warning{background:#fff3cd;border:1px solid #e0b000;padding:.6em;font-weight:bold}
code{background:#f3f3f3;padding:0 3px}`;

/** report.html: one self-contained page (charts inline as data URIs, tables, the run's settings). `images` maps a chart file name to its PNG. Pure. */
export function buildReportHtml(summary: RunSummary, images: ReadonlyMap<string, Buffer>): string {
  const charts = Object.fromEntries([...images.keys()].map((file) => [file.replace(/\.png$/, ''), file]));
  const blocks = buildReportBlocks(summary, charts);
  const title = blocks[0]?.kind === 'heading' ? blocks[0].text : summary.scenario;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body>
${blocks.map((block) => blockHtml(block, images)).join('\n')}
<p><small>Written by lblab. The numbers come from summary.json beside this page.</small></p>
</body></html>
`;
}
