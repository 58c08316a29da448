import { describe, expect, it } from 'vitest';
import { stepTiming } from '../../../cli/lab/step-timing.js';

describe('stepTiming', () => {
  it('prints each step with its duration when LBLAB_TIMING=1', async () => {
    const lines: string[] = [];
    const timing = stepTiming('up', { LBLAB_TIMING: '1' }, (line) => lines.push(line));
    timing.mark('checks');
    await timing.time('start server1', Promise.resolve('ok'));
    expect(lines[0]).toMatch(/^timing up: checks \d+ ms \(at \d+ ms\)$/);
    expect(lines[1]).toMatch(/^timing up: start server1 \d+ ms \(\d+–\d+ ms\)$/);
  });

  it('prints nothing without LBLAB_TIMING and passes results and failures through', async () => {
    const lines: string[] = [];
    const timing = stepTiming('up', {}, (line) => lines.push(line));
    timing.mark('checks');
    await expect(timing.time('step', Promise.resolve(7))).resolves.toBe(7);
    await expect(timing.time('step', Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lines).toEqual([]);
  });
});
