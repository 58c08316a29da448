import { describe, expect, it } from 'vitest';

import { Lab, algorithm, candidate as c, candidates } from './support.js';

describe('first-available', () => {
  it('returns undefined when all are full', () => {
    const fa = algorithm('first-available');
    expect(fa.pick([c('a', { inFlight: 1 }), c('b', { inFlight: 3 })], { key: '' })).toBeUndefined();
    expect(fa.pick([], { key: '' })).toBeUndefined();
  });

  it('hands a freed slot to the first server in list order', () => {
    const fa = algorithm('first-available');
    const lab = new Lab(candidates('a', 'b', 'c'));
    expect([lab.pick(fa), lab.pick(fa), lab.pick(fa), lab.pick(fa)]).toEqual(['a', 'b', 'c', '-']);
    lab.finish('b');
    expect(lab.pick(fa)).toBe('b');
    lab.finish('c');
    lab.finish('a');
    expect([lab.pick(fa), lab.pick(fa), lab.pick(fa)]).toEqual(['a', 'c', '-']);
  });

  it('never puts more than `capacity` requests on a server', () => {
    const fa = algorithm('first-available', { capacity: 3 });
    const lab = new Lab(candidates('a', 'b'));
    const picks = Array.from({ length: 8 }, () => lab.pick(fa));
    expect(picks.join(' ')).toBe('a a a b b b - -');
  });
});
