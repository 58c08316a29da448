import { describeValue } from './describe-value.js';

/** `config.x is not a known field and is ignored (value 1); fields: a, b` for each key of `raw` not in `known`. */
export function unknownFieldWarnings(field: string, raw: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => `${field}.${key} is not a known field and is ignored (value ${describeValue(raw[key])}); fields: ${known.join(', ')}`);
}
