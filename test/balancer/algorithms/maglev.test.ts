import { describe, expect, it } from 'vitest';

import type { Algorithm, Candidate } from '../../../balancer/algorithms/index.js';
import { buildTable } from '../../../balancer/algorithms/maglev.js';
import { algorithm, candidates, countBy } from './support.js';

const KEYS = Array.from({ length: 10_000 }, (_, i) => String(i));

function owners(algo: Algorithm, list: readonly Candidate[]): string[] {
  return KEYS.map((key) => algo.pick(list, { key })?.name ?? '-');
}

describe('maglev', () => {
  it.each([3, 5, 7])('fills the table evenly: each of %i servers owns floor or ceil of 65537/n slots', (n) => {
    const names = Array.from({ length: n }, (_, i) => `s${i + 1}`);
    const table = buildTable(names, 65_537);
    expect(table).not.toContain(-1);
    const slots = countBy(Array.from(table, (server) => String(server)));
    for (const count of Object.values(slots)) {
      expect(count).toBeGreaterThanOrEqual(Math.floor(65_537 / n));
      expect(count).toBeLessThanOrEqual(Math.ceil(65_537 / n));
    }
  });

  it('gives 3 servers 33% ± 5% each of 10,000 keys', () => {
    const counts = countBy(owners(algorithm('maglev'), candidates('s1', 's2', 's3')));
    // Measured: s1 3423, s2 3308, s3 3269.
    expect(Object.keys(counts).sort()).toEqual(['s1', 's2', 's3']);
    for (const count of Object.values(counts)) expect(Math.abs(count / KEYS.length - 1 / 3)).toBeLessThan(0.05);
  });

  it('keeps almost every key of the others when one of 5 servers is removed', () => {
    const mg = algorithm('maglev');
    const five = candidates('s1', 's2', 's3', 's4', 's5');
    const before = owners(mg, five);
    const after = owners(mg, five.filter((c) => c.name !== 's3'));
    const others = KEYS.filter((_, i) => before[i] !== 's3');
    const moved = others.filter((key) => before[Number(key)] !== after[Number(key)]);
    // Measured: 11 of 8053.
    expect(moved.length / others.length).toBeLessThan(0.02);
    expect(after).not.toContain('s3');
  });

  it('moves about 1/4 of the keys when a 4th server is added, nearly all to it', () => {
    const mg = algorithm('maglev');
    const before = owners(mg, candidates('s1', 's2', 's3'));
    const after = owners(mg, candidates('s1', 's2', 's3', 's4'));
    const moved = KEYS.filter((_, i) => before[i] !== after[i]);
    expect(moved.length / KEYS.length).toBeGreaterThan(0.15);
    expect(moved.length / KEYS.length).toBeLessThan(0.35);
    expect(moved.filter((key) => after[Number(key)] !== 's4').length / KEYS.length).toBeLessThan(0.02);
  });

  it('sends the same key to the same server, whatever the order and load of the candidates', () => {
    const list = candidates('a', 'b', 'c', 'd');
    const reference = owners(algorithm('maglev'), list);
    const mg = algorithm('maglev');
    expect(owners(mg, [...list].reverse())).toEqual(reference);
    expect(owners(mg, list.map((c, i) => ({ ...c, inFlight: i * 3 })))).toEqual(reference);
  });

  it('takes a smaller prime table size', () => {
    const counts = countBy(owners(algorithm('maglev', { tableSize: 257 }), candidates('a', 'b')));
    for (const count of Object.values(counts)) expect(Math.abs(count / KEYS.length - 0.5)).toBeLessThan(0.05);
  });
});
