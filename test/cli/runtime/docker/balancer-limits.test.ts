import { describe, expect, it } from 'vitest';

import { DEFAULT_CONFIG } from '../../../../balancer/config/config.js';
import { balancerLimits, DEFAULT_BALANCER_LIMITS, MIB } from '../../../../cli/runtime/docker/container-specs.js';

describe('balancerLimits', () => {
  it('keeps the default limits for one worker', () => {
    expect(balancerLimits(DEFAULT_CONFIG, DEFAULT_BALANCER_LIMITS, 8)).toBe(DEFAULT_BALANCER_LIMITS);
    expect(balancerLimits({ ...DEFAULT_CONFIG, workers: 1 }, DEFAULT_BALANCER_LIMITS, 8)).toBe(DEFAULT_BALANCER_LIMITS);
  });

  it('gives several workers a CPU each, at most the cores, and memory per process', () => {
    expect(balancerLimits({ ...DEFAULT_CONFIG, workers: 4 }, DEFAULT_BALANCER_LIMITS, 8)).toMatchObject({ nanoCpus: 4e9, memoryBytes: 640 * MIB });
    expect(balancerLimits({ ...DEFAULT_CONFIG, workers: 4 }, DEFAULT_BALANCER_LIMITS, 2)).toMatchObject({ nanoCpus: 2e9 });
    expect(balancerLimits({ ...DEFAULT_CONFIG, workers: 'auto' }, DEFAULT_BALANCER_LIMITS, 6)).toMatchObject({ nanoCpus: 6e9 });
  });
});
