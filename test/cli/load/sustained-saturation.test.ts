import { describe, expect, it } from 'vitest';
import { isSaturated } from '../../../balancer/metrics/saturation-monitor.js';
import { sustainedSaturation } from '../../../cli/load/sustained-saturation.js';

const w = (eventLoopUtilization: number, eventLoopDelayP99Ms: number) => ({
  eventLoopUtilization,
  eventLoopDelayP99Ms,
  windowMs: 1000,
  saturated: isSaturated(eventLoopUtilization, eventLoopDelayP99Ms),
});

describe('sustainedSaturation', () => {
  it.each([
    { name: 'no windows', windows: [], expected: undefined },
    { name: 'a quiet run', windows: [w(0.1, 20), w(0.2, 25)], expected: { eventLoopUtilization: 0.2, eventLoopDelayP99Ms: 25, windowMs: 2000, saturated: false } },
    { name: 'one stalled second', windows: [w(0.1, 20), w(0.5, 150), w(0.1, 20)], expected: { eventLoopUtilization: 0.5, eventLoopDelayP99Ms: 150, windowMs: 3000, saturated: false } },
    { name: 'two stalls apart', windows: [w(0.95, 20), w(0.1, 20), w(0.2, 60)], expected: { eventLoopUtilization: 0.95, eventLoopDelayP99Ms: 60, windowMs: 3000, saturated: false } },
    {
      name: 'two saturated seconds in a row',
      windows: [w(0.1, 20), w(0.97, 120), w(0.99, 80), w(0.3, 20)],
      expected: { eventLoopUtilization: 0.99, eventLoopDelayP99Ms: 120, windowMs: 4000, saturated: true },
    },
    { name: 'a run of one busy window', windows: [w(0.95, 10)], expected: { eventLoopUtilization: 0.95, eventLoopDelayP99Ms: 10, windowMs: 1000, saturated: true } },
    { name: 'a run of one window with a stall', windows: [w(0.5, 150)], expected: { eventLoopUtilization: 0.5, eventLoopDelayP99Ms: 150, windowMs: 1000, saturated: false } },
    {
      name: 'one long saturated window (a balancer asked rarely)',
      windows: [{ ...w(1, 1400), windowMs: 2400 }, w(0.1, 20)],
      expected: { eventLoopUtilization: 1, eventLoopDelayP99Ms: 1400, windowMs: 3400, saturated: true },
    },
  ])('$name', ({ windows, expected }) => {
    expect(sustainedSaturation(windows)).toEqual(expected);
  });
});
