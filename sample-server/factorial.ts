export const MAX_FACTORIAL_N = 5000;

/** n! computed exactly with BigInt. The caller bounds n (0..MAX_FACTORIAL_N). */
export function factorial(n: number): bigint {
  let result = 1n;
  for (let i = 2n; i <= BigInt(n); i += 1n) result *= i;
  return result;
}
