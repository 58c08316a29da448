import { describe, expect, it } from 'vitest';

import { DEFAULT_RETRIES } from '../../../balancer/config/config.js';
import { decideRetry, type RetryFacts } from '../../../balancer/data-path/retry-policy.js';

/** A retryable GET after its first attempt failed, with room everywhere. */
const BASE: RetryFacts = {
  retryable: true,
  bodyStreamed: false,
  notSent: false,
  abandoned: false,
  tries: 1,
  notSentTries: 0,
  hasUntriedServer: true,
  budgetFree: true,
  options: DEFAULT_RETRIES,
};
const HALF = (): number => 0.5;

describe('decideRetry', () => {
  const table: [string, Partial<RetryFacts>, ReturnType<typeof decideRetry>][] = [
    ['a retryable request with room', {}, { retry: true, waitMs: 12 }],
    ['the second retry waits up to twice as long', { tries: 2 }, { retry: true, waitMs: 25 }],
    ['retries used up (count 2)', { tries: 3 }, { retry: false, skipped: 'exhausted' }],
    ['no server left to try', { hasUntriedServer: false }, { retry: false, skipped: 'no_other_server' }],
    ['the budget is full', { budgetFree: false }, { retry: false, budget: true }],
    ['the client left', { abandoned: true }, { retry: false }],
    ['a POST that reached the server', { retryable: false }, { retry: false }],
    ['a body too large to hold', { retryable: false, bodyStreamed: true }, { retry: false, skipped: 'body_not_replayable' }],
    ['a POST that never reached the server', { retryable: false, notSent: true }, { retry: true, waitMs: 12 }],
    ['never sent, with retries off', { retryable: false, notSent: true, options: { ...DEFAULT_RETRIES, count: 0 } }, { retry: true, waitMs: 12 }],
    ['never sent, the budget full: no load added, still sent elsewhere', { notSent: true, budgetFree: false }, { retry: true, waitMs: 12 }],
    ['never sent, but no server left', { notSent: true, hasUntriedServer: false }, { retry: false, skipped: 'no_other_server' }],
    ['a sent failure after two never-sent attempts still has its retries', { tries: 3, notSentTries: 2 }, { retry: true, waitMs: 50 }],
    ['retries off for a sent failure', { options: { ...DEFAULT_RETRIES, count: 0 } }, { retry: false, skipped: 'exhausted' }],
  ];

  it.each(table)('%s', (_name, facts, expected) => {
    expect(decideRetry({ ...BASE, ...facts }, HALF)).toEqual(expected);
  });
});
