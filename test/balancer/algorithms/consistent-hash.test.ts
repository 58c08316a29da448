import { describe, expect, it } from 'vitest';

import { murmur3, seededRandom, type Algorithm, type Candidate } from '../../../balancer/algorithms/index.js';
import { Lab, algorithm, candidates, countBy } from './support.js';

const KEYS = Array.from({ length: 10_000 }, (_, i) => String(i));

function owners(algo: Algorithm, list: readonly Candidate[]): string[] {
  return KEYS.map((key) => algo.pick(list, { key })?.name ?? '-');
}

describe('consistent-hash', () => {
  it('gives 3 servers 33% ± 5% each of 10,000 keys', () => {
    const counts = countBy(owners(algorithm('consistent-hash'), candidates('s1', 's2', 's3')));
    // Measured with murmur3 and 160 virtual nodes: s1 3324, s2 3544, s3 3132.
    expect(Object.keys(counts).sort()).toEqual(['s1', 's2', 's3']);
    for (const count of Object.values(counts)) expect(Math.abs(count / KEYS.length - 1 / 3)).toBeLessThan(0.05);
  });

  it('moves about 1/4 of the keys when a 4th server is added, all of them to the new server', () => {
    const ch = algorithm('consistent-hash');
    const before = owners(ch, candidates('s1', 's2', 's3'));
    const after = owners(ch, candidates('s1', 's2', 's3', 's4'));
    const moved = KEYS.filter((_, i) => before[i] !== after[i]);
    expect(moved.length / KEYS.length).toBeGreaterThan(0.15);
    expect(moved.length / KEYS.length).toBeLessThan(0.35);
    for (const key of moved) expect(after[Number(key)], `key ${key}`).toBe('s4');
  });

  it('moves only the keys of a removed server, and spreads them over the others', () => {
    const ch = algorithm('consistent-hash');
    const before = owners(ch, candidates('s1', 's2', 's3', 's4'));
    const after = owners(ch, candidates('s1', 's2', 's4'));
    KEYS.forEach((key, i) => {
      if (before[i] !== 's3') expect(after[i], `key ${key}`).toBe(before[i]);
    });
    const newHomes = countBy(after.filter((_, i) => before[i] === 's3'));
    expect(Object.keys(newHomes).sort()).toEqual(['s1', 's2', 's4']);
  });

  it('sends the same key to the same server, whatever the order and load of the candidates', () => {
    const ch = algorithm('consistent-hash');
    const list = candidates('s1', 's2', 's3');
    const reference = owners(ch, list);
    const reversed = [...list].reverse();
    const loaded = list.map((c, i) => ({ ...c, inFlight: i * 7, latencyEwmaMs: 3 }));
    expect(owners(ch, reversed)).toEqual(reference);
    expect(owners(ch, loaded)).toEqual(reference);
    expect(owners(algorithm('consistent-hash'), list)).toEqual(reference);
  });

  it('with bounded load at zero load, maps keys exactly like the plain ring', () => {
    const plain = owners(algorithm('consistent-hash'), candidates('s1', 's2', 's3'));
    const bounded = owners(algorithm('consistent-hash', { boundedLoad: 1.25 }), candidates('s1', 's2', 's3'));
    expect(bounded).toEqual(plain);
  });

  describe('bounded load 1.25 with 80% of requests on one hot key', () => {
    const factor = 1.25;
    const keyOf = (random: () => number, i: number): string => (random() < 0.8 ? 'hot' : `k${i}`);
    const boundOf = (total: number, servers: number): number => Math.ceil((factor * total) / servers);

    it('keeps every server at or under ceil(1.25 × total / n) as requests pile up', () => {
      const ch = algorithm('consistent-hash', { boundedLoad: factor });
      const lab = new Lab(candidates('s1', 's2', 's3'));
      const random = seededRandom(3);
      for (let i = 0; i < 3000; i++) {
        lab.pick(ch, keyOf(random, i));
        const max = Math.max(...lab.list.map((s) => s.inFlight));
        expect(max, `after ${i + 1} requests`).toBeLessThanOrEqual(boundOf(lab.totalInFlight(), 3));
      }
    });

    it('puts no request on a server past the bound while requests also finish', () => {
      const ch = algorithm('consistent-hash', { boundedLoad: factor });
      const lab = new Lab(candidates('s1', 's2', 's3', 's4'));
      const random = seededRandom(5);
      const open: string[] = [];
      for (let i = 0; i < 5000; i++) {
        const bound = boundOf(lab.totalInFlight() + 1, 4);
        const name = lab.pick(ch, keyOf(random, i));
        expect(lab.inFlight(name), `request ${i}`).toBeLessThanOrEqual(bound);
        open.push(name);
        if (random() < 0.45) {
          const [done] = open.splice(Math.floor(random() * open.length), 1);
          if (done !== undefined) lab.finish(done);
        }
      }
    });

    it('(control) without the bound, the hot server goes far past it', () => {
      const ch = algorithm('consistent-hash');
      const lab = new Lab(candidates('s1', 's2', 's3'));
      const random = seededRandom(3);
      for (let i = 0; i < 3000; i++) lab.pick(ch, keyOf(random, i));
      const max = Math.max(...lab.list.map((s) => s.inFlight));
      expect(max).toBeGreaterThan(boundOf(lab.totalInFlight(), 3));
    });
  });

  it('works with 1 virtual node per server and with a single server', () => {
    expect(new Set(owners(algorithm('consistent-hash', { virtualNodes: 1 }), candidates('a', 'b'))).size).toBeGreaterThan(0);
    expect(countBy(owners(algorithm('consistent-hash'), candidates('solo')))).toEqual({ solo: 10_000 });
  });

  it('places every key exactly where a ring of murmur3("name#i") points sorted by (hash, node) does', () => {
    const names = ['a', 'server10', 'x.y-z_9'];
    const virtualNodes = 1_000;
    const reference = names
      .flatMap((name, owner) => Array.from({ length: virtualNodes }, (_, i) => ({ hash: murmur3(`${name}#${i}`), node: owner * virtualNodes + i, name })))
      .sort((p, q) => p.hash - q.hash || p.node - q.node);
    const referenceOwner = (key: string): string => {
      const hash = murmur3(key);
      return (reference.find((point) => point.hash >= hash) ?? reference[0])!.name;
    };
    const ch = algorithm('consistent-hash', { virtualNodes });
    const list = candidates(...names);
    for (const key of KEYS.slice(0, 2_000)) expect(ch.pick(list, { key })?.name, `key ${key}`).toBe(referenceOwner(key));
  });
});
