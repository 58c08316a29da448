// Table of exact pick sequences, one or more rows per algorithm, in the style
// of undici's BalancedPool tests. Random-driven rows use seed 42 (SEED): a
// change to the generator, the hash or the algorithm shows up here.
import { describe, expect, it } from 'vitest';

import type { AlgorithmName, AlgorithmOptions, Candidate } from '../../../balancer/algorithms/index.js';
import { Lab, algorithm, candidate as c, candidates, pickNames } from './support.js';

interface StaticRow {
  readonly title: string;
  readonly algorithm: AlgorithmName;
  readonly options?: AlgorithmOptions;
  /** Loads do not change between picks. */
  readonly candidates: readonly Candidate[];
  readonly keys?: readonly string[];
  readonly expected: string;
}

const staticRows: readonly StaticRow[] = [
  { title: 'round-robin cycles in list order', algorithm: 'round-robin', candidates: candidates('a', 'b', 'c'), expected: 'a b c a b c a' },
  {
    title: 'weighted-round-robin 5,1,1 gives the nginx sequence',
    algorithm: 'weighted-round-robin',
    candidates: [c('a', { weight: 5 }), c('b'), c('c')],
    expected: 'a a b a c a a a a b a c a a',
  },
  {
    title: 'weighted-round-robin 4,2,1 interleaves',
    algorithm: 'weighted-round-robin',
    candidates: [c('a', { weight: 4 }), c('b', { weight: 2 }), c('c')],
    expected: 'a b a c a b a',
  },
  {
    title: 'weighted-round-robin equal weights is round robin',
    algorithm: 'weighted-round-robin',
    candidates: candidates('a', 'b', 'c'),
    expected: 'a b c a b c',
  },
  {
    title: 'least-connections takes the least loaded, rotating among ties',
    algorithm: 'least-connections',
    candidates: [c('a', { inFlight: 2 }), c('b'), c('c')],
    expected: 'b c b c b c',
  },
  { title: 'least-connections with no load is round robin', algorithm: 'least-connections', candidates: candidates('a', 'b', 'c'), expected: 'a b c a b c' },
  {
    title: 'power-of-two (seed 42) never takes the most loaded of 3',
    algorithm: 'power-of-two',
    candidates: [c('a', { inFlight: 2 }), c('b'), c('c', { inFlight: 1 })],
    expected: 'b b c c c c c c b b c b',
  },
  { title: 'random (seed 42)', algorithm: 'random', candidates: candidates('a', 'b', 'c'), expected: 'b b c c a b a b c b a c' },
  {
    title: 'least-response-time takes the fastest',
    algorithm: 'least-response-time',
    candidates: [c('a', { latencyEwmaMs: 10 }), c('b', { latencyEwmaMs: 5 }), c('c', { latencyEwmaMs: 20 })],
    expected: 'b b b',
  },
  {
    title: 'least-response-time counts requests in flight against a server',
    algorithm: 'least-response-time',
    candidates: [c('a', { latencyEwmaMs: 10 }), c('b', { latencyEwmaMs: 5, inFlight: 2 })],
    expected: 'a a',
  },
  {
    title: 'least-response-time tries a server with no latency yet',
    algorithm: 'least-response-time',
    candidates: [c('a', { latencyEwmaMs: 1 }), c('new')],
    expected: 'new new',
  },
  {
    title: 'first-available takes the first with room',
    algorithm: 'first-available',
    candidates: [c('a', { inFlight: 1 }), c('b'), c('c')],
    expected: 'b b b',
  },
  {
    title: 'first-available returns undefined when all are full',
    algorithm: 'first-available',
    candidates: [c('a', { inFlight: 1 }), c('b', { inFlight: 1 })],
    expected: '- -',
  },
  {
    title: 'first-available with capacity 2',
    algorithm: 'first-available',
    options: { capacity: 2 },
    candidates: [c('a', { inFlight: 1 }), c('b')],
    expected: 'a a',
  },
  {
    title: 'consistent-hash maps keys to fixed servers',
    algorithm: 'consistent-hash',
    candidates: candidates('s1', 's2', 's3'),
    keys: ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6', 'user-1', '10.0.0.7'],
    expected: 's1 s1 s2 s1 s3 s1 s1 s1',
  },
  {
    title: 'maglev maps keys to fixed servers',
    algorithm: 'maglev',
    candidates: candidates('s1', 's2', 's3'),
    keys: ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6', 'user-1', '10.0.0.7'],
    expected: 's2 s3 s2 s1 s3 s1 s2 s3',
  },
];

describe('exact pick sequences, loads fixed', () => {
  it.each(staticRows)('$title', (row) => {
    const algo = algorithm(row.algorithm, row.options);
    const keys = row.keys;
    const count = keys?.length ?? row.expected.split(' ').length;
    const picks = pickNames(algo, row.candidates, count, (i) => keys?.[i] ?? '');
    expect(picks.join(' ')).toBe(row.expected);
  });
});

interface LabRow {
  readonly title: string;
  readonly algorithm: AlgorithmName;
  readonly options?: AlgorithmOptions;
  /** Each pick adds one request in flight to the chosen server; none finishes. */
  readonly candidates: readonly Candidate[];
  readonly expected: string;
}

const labRows: readonly LabRow[] = [
  {
    title: 'least-connections fills the least loaded first',
    algorithm: 'least-connections',
    candidates: [c('a', { inFlight: 2 }), c('b'), c('c')],
    expected: 'b c b c a b c a b c',
  },
  { title: 'first-available, capacity 1', algorithm: 'first-available', candidates: candidates('a', 'b', 'c'), expected: 'a b c - -' },
  {
    title: 'first-available, capacity 2',
    algorithm: 'first-available',
    options: { capacity: 2 },
    candidates: candidates('a', 'b', 'c'),
    expected: 'a a b b c c -',
  },
  {
    title: 'least-response-time tries a new server once, then weighs it at the mean latency',
    algorithm: 'least-response-time',
    candidates: [c('a', { latencyEwmaMs: 10 }), c('b', { latencyEwmaMs: 5 }), c('new')],
    expected: 'new b a b',
  },
  {
    title: 'least-response-time with no latency known spreads by requests in flight',
    algorithm: 'least-response-time',
    candidates: candidates('a', 'b', 'c'),
    expected: 'a b c a b c',
  },
  {
    title: 'weighted-round-robin ignores load',
    algorithm: 'weighted-round-robin',
    candidates: [c('a', { weight: 5 }), c('b'), c('c')],
    expected: 'a a b a c a a',
  },
];

describe('exact pick sequences, each pick adds load', () => {
  it.each(labRows)('$title', (row) => {
    const algo = algorithm(row.algorithm, row.options);
    const lab = new Lab(row.candidates);
    const picks = row.expected.split(' ').map(() => lab.pick(algo));
    expect(picks.join(' ')).toBe(row.expected);
  });
});
