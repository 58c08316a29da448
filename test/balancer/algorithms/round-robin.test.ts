import { describe, expect, it } from 'vitest';

import { algorithm, candidates, countBy, pickNames } from './support.js';

/** Picks one by one over a list that changes: `lists[i]` is the candidate list for pick i. */
function picksOver(lists: readonly (readonly string[])[]): string[] {
  const rr = algorithm('round-robin');
  return lists.map((names) => rr.pick(candidates(...names), { key: '' })?.name ?? '-');
}

function repeat<T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value);
}

describe('round-robin', () => {
  it('gives exactly 100 each for 300 picks over 3 stable candidates', () => {
    const picks = pickNames(algorithm('round-robin'), candidates('s1', 's2', 's3'), 300);
    expect(countBy(picks)).toEqual({ s1: 100, s2: 100, s3: 100 });
  });

  it.each([
    { title: 'the last picked goes down', before: 2, removed: 'b', expected: 'a b | c a c a' },
    { title: 'the next one goes down', before: 1, removed: 'b', expected: 'a | c a c a' },
    { title: 'one just picked before goes down', before: 3, removed: 'a', expected: 'a b c | b c b c' },
  ])('continues the rotation when $title', ({ before, removed, expected }) => {
    const full = ['a', 'b', 'c'];
    const rest = full.filter((name) => name !== removed);
    const picks = picksOver([...repeat(full, before), ...repeat(rest, 4)]);
    expect(`${picks.slice(0, before).join(' ')} | ${picks.slice(before).join(' ')}`).toBe(expected);
  });

  it('never picks the same server twice in a row while others wait, across removals and revivals', () => {
    const full = ['s1', 's2', 's3', 's4'];
    const lists = [
      ...repeat(full, 5),
      ...repeat(['s1', 's3', 's4'], 7),
      ...repeat(['s1', 's4'], 5),
      ...repeat(full, 9),
      ...repeat(['s2', 's3'], 3),
    ];
    const picks = picksOver(lists);
    picks.forEach((name, i) => {
      if (i > 0) expect(name, `pick ${i}`).not.toBe(picks[i - 1]);
    });
    // Within each stable stretch every server is served evenly (counts differ by at most 1).
    let start = 0;
    for (const length of [5, 7, 5, 9, 3]) {
      const counts = Object.values(countBy(picks.slice(start, start + length)));
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      start += length;
    }
  });

  it('takes a revived server back at its place in the rotation', () => {
    const picks = picksOver([['a', 'b', 'c'], ['a', 'c'], ['a', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(picks.join(' ')).toBe('a c a b c');
  });

  it('after 100 picks on 3 and 200 on the 2 left, the 2 left are even', () => {
    const rr = algorithm('round-robin');
    const first = pickNames(rr, candidates('s1', 's2', 's3'), 100);
    const second = pickNames(rr, candidates('s1', 's3'), 200);
    expect(countBy(first)).toEqual({ s1: 34, s2: 33, s3: 33 });
    expect(countBy(second)).toEqual({ s1: 100, s3: 100 });
  });
});
