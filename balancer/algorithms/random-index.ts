/** A uniform integer in [0, count) from a [0, 1) source; safe even if `random` returns 1. */
export function randomIndex(random: () => number, count: number): number {
  return Math.min(count - 1, Math.floor(random() * count));
}
