const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Orders names the way people read them: server2 before server10. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
