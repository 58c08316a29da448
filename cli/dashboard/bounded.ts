/** A new array: `items` with `item` appended, keeping only the newest `capacity`. */
export function appendBounded<T>(items: readonly T[], item: T, capacity: number): readonly T[] {
  const next = [...items, item];
  return next.length > capacity ? next.slice(next.length - capacity) : next;
}
