import { describe, expect, it } from 'vitest';

import { parseBalancerConfig } from '../../../balancer/config/config-parse.js';
import { parseWorkers, workerCount } from '../../../balancer/config/workers-parse.js';

describe('workers', () => {
  it('takes an integer from 1 to cores x 4, or "auto"', () => {
    expect(parseWorkers('config.workers', 1, 2)).toBe(1);
    expect(parseWorkers('config.workers', 8, 2)).toBe(8);
    expect(parseWorkers('config.workers', 'auto', 2)).toBe('auto');
  });

  it.each([[0], [9], [1.5], ['2'], ['x'], [null]])('refuses %j with the range and the value', (value) => {
    expect(() => parseWorkers('--workers', value, 2)).toThrow(`--workers must be an integer from 1 to 8 or "auto", got ${JSON.stringify(value)}`);
  });

  it('counts one process per core for auto and one when left out', () => {
    expect(workerCount('auto', 6)).toBe(6);
    expect(workerCount(undefined, 6)).toBe(1);
    expect(workerCount(3, 6)).toBe(3);
  });

  it('is kept in the config, and refused with the seed routes on the data port', () => {
    expect(parseBalancerConfig({ workers: 2 }).config.workers).toBe(2);
    expect(parseBalancerConfig({}).config.workers).toBeUndefined();
    expect(() => parseBalancerConfig({ workers: 2, seedApi: true })).toThrow('config.seedApi cannot be used with config.workers above 1, got 2 workers');
  });
});
