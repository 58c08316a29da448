export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==';

/** A bound on a measured value, e.g. `< 200`. */
export interface Comparison {
  readonly operator: ComparisonOperator;
  readonly value: number;
}

const COMPARISON_PATTERN = /^(<=|>=|==|<|>|=)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i;

/** `"< 200"`, `"<=0.01"`, `">= 0.2"`, `"== 1000"` (`=` is read as `==`); undefined for anything else. */
export function parseComparison(text: string): Comparison | undefined {
  const match = COMPARISON_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  const value = Number(match[2]);
  if (!Number.isFinite(value)) return undefined;
  const operator = match[1] === '=' ? '==' : (match[1] as ComparisonOperator);
  return { operator, value };
}

export function holds(measured: number, comparison: Comparison): boolean {
  switch (comparison.operator) {
    case '<':
      return measured < comparison.value;
    case '<=':
      return measured <= comparison.value;
    case '>':
      return measured > comparison.value;
    case '>=':
      return measured >= comparison.value;
    case '==':
      return measured === comparison.value;
  }
}

export function formatComparison(comparison: Comparison): string {
  return `${comparison.operator} ${comparison.value}`;
}
