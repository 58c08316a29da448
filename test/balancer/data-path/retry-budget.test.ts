import { describe, expect, it } from 'vitest';

import { RetryBudget } from '../../../balancer/data-path/retry-budget.js';

describe('RetryBudget', () => {
  it('allows retries up to max(minimum, percent of active requests)', () => {
    let active = 20;
    const budget = new RetryBudget(() => active);
    const limits = { budgetPercent: 20, minRetryConcurrency: 3 };
    const granted = Array.from({ length: 6 }, () => budget.tryAcquire(limits));
    expect(granted).toEqual([true, true, true, true, false, false]);
    expect(budget.active).toBe(4);
    expect(budget.describe(limits)).toBe('4 retries in progress, limit 4 (20% of 20 active requests, minimum 3)');

    active = 5;
    budget.release();
    budget.release();
    expect(budget.tryAcquire(limits)).toBe(true);
    expect(budget.tryAcquire(limits)).toBe(false);
    expect(budget.describe(limits)).toBe('3 retries in progress, limit 3 (20% of 5 active requests, minimum 3)');
  });

  it('refuses every retry with 0% and no minimum', () => {
    const budget = new RetryBudget(() => 100);
    expect(budget.tryAcquire({ budgetPercent: 0, minRetryConcurrency: 0 })).toBe(false);
  });
});
