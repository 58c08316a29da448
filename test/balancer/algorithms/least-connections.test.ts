import { describe, expect, it } from 'vitest';

import { seededRandom } from '../../../balancer/algorithms/index.js';
import { Lab, algorithm, candidates, countBy } from './support.js';

describe('least-connections', () => {
  it('always picks a server with the fewest in flight, while requests come and go', () => {
    const lc = algorithm('least-connections');
    const lab = new Lab(candidates('s1', 's2', 's3', 's4'));
    const random = seededRandom(7);
    const open: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const least = Math.min(...lab.list.map((s) => s.inFlight));
      const name = lab.pick(lc);
      expect(lab.inFlight(name) - 1).toBe(least);
      open.push(name);
      // Finish a random open request about half the time, so loads drift apart.
      if (random() < 0.5) {
        const [done] = open.splice(Math.floor(random() * open.length), 1);
        if (done !== undefined) lab.finish(done);
      }
    }
  });

  it('shares sequential requests (no overlap) evenly, like round robin', () => {
    const lc = algorithm('least-connections');
    const lab = new Lab(candidates('s1', 's2', 's3'));
    const picks = Array.from({ length: 300 }, () => {
      const name = lab.pick(lc);
      lab.finish(name);
      return name;
    });
    expect(countBy(picks)).toEqual({ s1: 100, s2: 100, s3: 100 });
  });
});
