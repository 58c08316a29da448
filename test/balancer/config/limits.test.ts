import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { bearerChallenge, checkBearer } from '../../../balancer/admin/bearer-auth.js';
import { describeNames } from '../../../balancer/config/describe-names.js';
import { LIMITS, describeLimit, ringPointsProblem, withinLimit } from '../../../balancer/config/limits.js';

describe('limits table', () => {
  it('is documented row by row in balancer/README.md (name, min, max, reason)', async () => {
    const readme = await readFile(new URL('../../../balancer/README.md', import.meta.url), 'utf8');
    const number = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : String(n));
    for (const [name, limit] of Object.entries(LIMITS)) {
      expect(readme).toContain(`| \`${name}\` | ${number(limit.min)} | ${number(limit.max)} | ${limit.reason} |`);
    }
  });

  it('checks type, range and wholeness', () => {
    expect(withinLimit(1000, LIMITS.virtualNodes)).toBe(true);
    expect(withinLimit(1001, LIMITS.virtualNodes)).toBe(false);
    expect(withinLimit(1.5, LIMITS.virtualNodes)).toBe(false);
    expect(withinLimit('5', LIMITS.virtualNodes)).toBe(false);
    expect(withinLimit(Number.NaN, LIMITS.percent)).toBe(false);
    expect(withinLimit(0.25, LIMITS.faultErrorRate)).toBe(true);
    expect(describeLimit(LIMITS.retryCount)).toBe('an integer from 0 to 10');
    expect(describeLimit(LIMITS.percent)).toBe('a number from 0 to 100');
  });

  it('keeps the largest lab with the default virtual nodes within the ring limit, and says how many fit otherwise', () => {
    expect(ringPointsProblem(LIMITS.servers.max, 160)).toBeUndefined();
    expect(ringPointsProblem(41, 1000)).toBe(
      'the consistent-hash ring would have 41 servers x 1000 virtualNodes = 41000 points, more than 40960 (at most 999 virtualNodes for 41 servers)',
    );
  });

  it('names at most 5 servers and counts the rest', () => {
    expect(describeNames([])).toBe('(none)');
    expect(describeNames(['a', 'b'])).toBe('a, b');
    expect(describeNames(Array.from({ length: 4003 }, (_, i) => `s${i + 1}`))).toBe('s1, s2, s3, s4, s5 and 3998 more (4003 servers)');
  });
});

describe('checkBearer', () => {
  const token = 'a-token-of-enough-length';
  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    [token, 'missing'],
    [`Basic ${token}`, 'missing'],
    [`Bearer`, 'missing'],
    [`Bearer ${token} extra`, 'missing'],
    [`Bearer ${token}x`, 'wrong'],
    [`Bearer ${token.slice(1)}`, 'wrong'],
    [`Bearer ${token}`, 'ok'],
    [`bearer   ${token} `, 'ok'],
  ] as const)('%j → %s', (header, verdict) => {
    expect(checkBearer(header, token)).toBe(verdict);
  });

  it('challenges with Bearer, and invalid_token for a wrong one, never echoing the token', () => {
    expect(bearerChallenge('missing', 'the admin API').header).toBe('Bearer');
    expect(bearerChallenge('wrong', 'the admin API').header).toBe('Bearer error="invalid_token"');
    expect(JSON.stringify([bearerChallenge('missing', 'x'), bearerChallenge('wrong', 'x')])).not.toContain(token);
  });
});
