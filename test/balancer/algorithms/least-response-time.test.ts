import { describe, expect, it } from 'vitest';

import { Lab, algorithm, candidate as c } from './support.js';

describe('least-response-time', () => {
  it('shares a burst between a fast and a slow server by latency × (inFlight + 1)', () => {
    const lrt = algorithm('least-response-time');
    const lab = new Lab([c('fast', { latencyEwmaMs: 10 }), c('slow', { latencyEwmaMs: 30 })]);
    const picks = Array.from({ length: 8 }, () => lab.pick(lrt));
    // fast scores 10, 20, 30, ...; slow 30, 60, ...; ties (30 vs 30, 60 vs 60) go to fewer in flight.
    expect(picks.join(' ')).toBe('fast fast slow fast fast fast slow fast');
    expect(lab.inFlight('fast')).toBe(6);
    expect(lab.inFlight('slow')).toBe(2);
  });
});
