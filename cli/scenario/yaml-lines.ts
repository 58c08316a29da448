import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

function nodeLine(node: unknown, lineCounter: LineCounter): number | undefined {
  if (!isNode(node) || node.range === undefined || node.range === null) return undefined;
  return lineCounter.linePos(node.range[0]).line;
}

/** The line (1-based) of the item `part` of a YAML collection: a map key's line, or a list item's. */
function childLine(parent: unknown, part: PropertyKey, lineCounter: LineCounter): number | undefined {
  if (isMap(parent)) {
    const pair = parent.items.find((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(part));
    return pair === undefined ? undefined : (nodeLine(pair.key, lineCounter) ?? nodeLine(pair.value, lineCounter));
  }
  if (isSeq(parent) && typeof part === 'number') return nodeLine(parent.items[part], lineCounter);
  return undefined;
}

/**
 * The line of the field at `path` in a parsed YAML document; for a field that
 * is missing, the line of the nearest mapping or list that holds it.
 */
export function lineOfPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number {
  for (let depth = path.length; depth > 0; depth--) {
    const part = path[depth - 1];
    if (part === undefined) continue;
    const parent = doc.getIn(path.slice(0, depth - 1) as unknown[], true);
    const line = childLine(parent, part, lineCounter);
    if (line !== undefined) return line;
  }
  return nodeLine(doc.contents, lineCounter) ?? 1;
}
