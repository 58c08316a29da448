// Medians and pairwise ratios over rounds. Pure functions.

/** Median of the finite numbers in `values`; undefined when there are none. */
export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Median over rounds of `a[i][field] / b[i][field]`: each case is divided by
 * the reference measured in the same round, so drift between rounds cancels.
 */
export function medianPairwiseRatio(roundsA, roundsB, field) {
  if (roundsA === undefined || roundsB === undefined) return undefined;
  const ratios = [];
  const count = Math.min(roundsA.length, roundsB.length);
  for (let i = 0; i < count; i++) {
    const a = roundsA[i]?.[field];
    const b = roundsB[i]?.[field];
    if (Number.isFinite(a) && Number.isFinite(b) && b > 0) ratios.push(a / b);
  }
  const value = median(ratios);
  return value === undefined ? undefined : round(value, 3);
}

/** Median of each numeric field over rounds. */
export function medianOfRounds(rounds, fields) {
  const result = {};
  for (const field of fields) {
    const value = median(rounds.map((r) => r[field]));
    if (value !== undefined) result[field] = round(value, 3);
  }
  return result;
}

export function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
