import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH } from '../../../balancer/config/config.js';
import { parseBalancerConfig } from '../../../balancer/config/config-parse.js';
import { nextIntervalMs } from '../../../balancer/upstreams/health-checker.js';

describe('nextIntervalMs (HAProxy-style inter, fastinter, downinter)', () => {
  const health = { ...DEFAULT_HEALTH, intervalMs: 500 };

  it.each([
    ['up, steady', 'up', { passed: 5, failed: 0 }, 500],
    ['up, one failure seen', 'up', { passed: 0, failed: 1 }, 100],
    ['down, steady', 'down', { passed: 0, failed: 4 }, 250],
    ['down, one pass seen', 'down', { passed: 1, failed: 0 }, 100],
  ] as const)('%s -> %d ms', (_case, checked, counts, expected) => {
    expect(nextIntervalMs(health, checked, counts)).toBe(expected);
  });

  it('checks a server that has never been up at the fast interval (a new lab, its servers still starting)', () => {
    expect(nextIntervalMs(health, 'down', { passed: 0, failed: 3 }, false)).toBe(100);
    expect(nextIntervalMs({ ...health, fastIntervalMs: 40 }, 'down', { passed: 0, failed: 3 }, false)).toBe(40);
    expect(nextIntervalMs(health, 'down', { passed: 0, failed: 3 }, true)).toBe(250);
  });

  it('never checks less often than intervalMs by default, and takes explicit settings', () => {
    expect(nextIntervalMs({ ...health, intervalMs: 50 }, 'down', { passed: 0, failed: 1 })).toBe(50);
    expect(nextIntervalMs({ ...health, fastIntervalMs: 20, downIntervalMs: 1000 }, 'down', { passed: 0, failed: 1 })).toBe(1000);
    expect(nextIntervalMs({ ...health, fastIntervalMs: 20 }, 'up', { passed: 0, failed: 1 })).toBe(20);
  });

  it('validates the settings', () => {
    expect(parseBalancerConfig({ health: { fastIntervalMs: 40, downIntervalMs: 200 } }).config.health).toMatchObject({
      fastIntervalMs: 40,
      downIntervalMs: 200,
    });
    expect(() => parseBalancerConfig({ health: { downIntervalMs: 0 } })).toThrow(
      'config.health.downIntervalMs must be an integer from 10 to 60000, got 0',
    );
  });
});
