import { describe, expect, test } from 'vitest';
import { bar } from '../../../cli/dashboard/bar.js';
import { addSample, windowRates, type CounterSample } from '../../../cli/dashboard/counter-window.js';
import { describeEvent } from '../../../cli/dashboard/describe-event.js';
import { formatCount, formatErrorRate, formatMsBare, formatRate, truncate } from '../../../cli/dashboard/format.js';
import { sparkline } from '../../../cli/dashboard/sparkline.js';
import { tableLayout } from '../../../cli/dashboard/table-layout.js';

describe('bar', () => {
  test.each([
    [0, 8, '        '],
    [0.5, 8, '████    '],
    [1, 4, '████'],
    [1.7, 4, '████'],
    [0.3, 2, '▋ '],
    [1 / 16, 1, '▏'],
    [Number.NaN, 3, '   '],
  ])('bar(%s, %s)', (fraction, width, expected) => {
    expect(bar(fraction, width)).toBe(expected);
  });
});

describe('sparkline', () => {
  test('scales to the maximum, newest last, padded on the left', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([4, 8], 5)).toBe('   ▄█');
    expect(sparkline([0, 8, 0], 3)).toBe(' █ ');
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toBe('▇██');
  });

  test('a shared maximum makes small rows small', () => {
    expect(sparkline([10, 10], 2, 80)).toBe('▁▁');
    expect(sparkline([], 3, 80)).toBe('   ');
  });
});

describe('tableLayout', () => {
  test('fills the width exactly and widens bar and sparkline with the terminal', () => {
    const names = ['server1', 'server2', 'server10'];
    const narrow = tableLayout(80, names);
    const wide = tableLayout(200, names);
    expect(narrow.width).toBe(80);
    expect(wide.width).toBe(200);
    expect(wide.bar).toBeGreaterThan(narrow.bar);
    expect(wide.spark).toBeGreaterThan(narrow.spark);
  });
});

describe('counter window', () => {
  const sample = (atMs: number, byServer: Record<string, number>, uptimeMs = atMs): CounterSample => ({
    atMs,
    uptimeMs,
    requests: Object.values(byServer).reduce((a, b) => a + b, 0),
    errors: 0,
    byServer: new Map(Object.entries(byServer)),
  });

  test('rates come from the deltas over the window; older samples are dropped', () => {
    let samples: readonly CounterSample[] = [];
    for (let t = 0; t <= 2000; t += 250) samples = addSample(samples, sample(t, { a: t / 10, b: (3 * t) / 10 }), 1000);
    expect(samples[0]?.atMs).toBe(1000);
    const rates = windowRates(samples);
    expect(rates.ratePerSec).toBe(400);
    expect(rates.byServer.get('a')?.ratePerSec).toBe(100);
    expect(rates.byServer.get('b')?.ratePerSec).toBe(300);
  });

  test('a counter reset (balancer restarted) starts over instead of giving negative rates', () => {
    let samples = addSample([], sample(0, { a: 500 }, 10_000), 1000);
    samples = addSample(samples, sample(250, { a: 3 }, 100), 1000);
    expect(samples).toHaveLength(1);
    expect(windowRates(samples).ratePerSec).toBe(0);
  });

  test('a server added since the base sample counts from 0', () => {
    const samples = [sample(0, { a: 0 }), sample(1000, { a: 100, c: 50 })];
    expect(windowRates(samples).byServer.get('c')?.ratePerSec).toBe(50);
  });
});

describe('formats', () => {
  test('fit the columns', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(12_345_678)).toBe('12.3M');
    expect(formatRate(412.4)).toBe('412');
    expect(formatRate(2.5)).toBe('2.5');
    expect(formatRate(12_345)).toBe('12.3k');
    expect(formatErrorRate(0.0123)).toBe('1.2%');
    expect(formatErrorRate(1)).toBe('100%');
    expect(formatMsBare(0)).toBe('-');
    expect(formatMsBare(1.234)).toBe('1.2');
    expect(formatMsBare(123.4)).toBe('123');
    expect(truncate('server-with-a-long-name', 10)).toBe('server-wi…');
  });
});

describe('describeEvent', () => {
  test('health changes read from -> to, with the detail apart', () => {
    expect(describeEvent({ type: 'health', at: 1, server: 'server2', health: 'down', detail: '2 failed checks' }, 'up')).toEqual({
      atMs: 1,
      text: 'server2 up -> down',
      detail: '2 failed checks',
      tone: 'bad',
    });
    expect(describeEvent({ type: 'health', at: 1, server: 'server2', health: 'up' }, undefined).text).toBe('server2 down -> up');
    expect(describeEvent({ type: 'ejected', at: 1, server: 'server3', detail: '5 errors in 10 s' }, 'up')).toMatchObject({
      text: 'server3 ejected',
      tone: 'warn',
    });
    expect(describeEvent({ type: 'algorithm', at: 1, detail: 'maglev' }, undefined).text).toBe('algorithm -> maglev');
  });

  test('the balancer\'s own "from -> to (reason)" detail wins over the guess', () => {
    expect(describeEvent({ type: 'health', at: 1, server: 'server2', health: 'down', detail: 'ejected -> down (2 failed checks: ECONNREFUSED)' }, 'up')).toEqual({
      atMs: 1,
      text: 'server2 ejected -> down',
      detail: '2 failed checks: ECONNREFUSED',
      tone: 'bad',
    });
  });
});
