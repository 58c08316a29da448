// Plain-text tables for the terminal. Pure.

/** @param {string[]} header @param {(string|number|undefined)[][]} rows */
export function formatTable(header, rows) {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === undefined ? '-' : String(cell))))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(cells[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function fixed(value, digits) {
  return value === undefined || value === null ? undefined : Number(value).toFixed(digits);
}
