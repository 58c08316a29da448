import { describe, expect, it } from 'vitest';

import type { Candidate } from '../../../balancer/algorithms/index.js';
import { Lab, algorithm, candidate as c, candidates } from './support.js';

describe('first-available', () => {
  it('returns undefined when all are full', () => {
    const fa = algorithm('first-available');
    expect(fa.pick([c('a', { inFlight: 1 }), c('b', { inFlight: 3 })], { key: '' })).toBeUndefined();
    expect(fa.pick([], { key: '' })).toBeUndefined();
  });

  it('hands freed slots of servers never released yet in list order', () => {
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

  it('gives the next request to the server idle longest: a server that finishes goes to the back', () => {
    const fa = algorithm('first-available');
    const servers: { name: string; weight: number; inFlight: number; latencyEwmaMs: number; releasedAtMs?: number }[] = candidates('a', 'b', 'c');
    let clock = 0;
    const run = (): string => {
      const picked = fa.pick(servers as Candidate[], { key: '' });
      if (picked === undefined) return '-';
      const server = servers.find((s) => s.name === picked.name)!;
      server.inFlight++;
      return picked.name;
    };
    const finish = (name: string): void => {
      const server = servers.find((s) => s.name === name)!;
      server.inFlight--;
      server.releasedAtMs = ++clock;
    };
    // Sequential requests rotate.
    const sequential: string[] = [];
    for (let i = 0; i < 6; i++) {
      const name = run();
      sequential.push(name);
      finish(name);
    }
    expect(sequential).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    // All busy; c finishes, then a: c has been idle longer.
    expect([run(), run(), run(), run()]).toEqual(['a', 'b', 'c', '-']);
    finish('c');
    finish('a');
    expect([run(), run(), run()]).toEqual(['c', 'a', '-']);
  });
});
