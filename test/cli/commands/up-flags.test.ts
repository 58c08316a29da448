// The CLI side of the balancer's resilience settings: `lblab up` flags → config.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { DEFAULT_FANOUT, DEFAULT_OUTLIER, DEFAULT_RETRIES } from '../../../balancer/config/config.js';
import { registerUp, resilienceSettings } from '../../../cli/commands/up.js';

/** The settings `lblab up <args>` would pass to the balancer (the action is stopped before it starts anything). */
async function settingsFor(args: readonly string[]): Promise<ReturnType<typeof resilienceSettings>> {
  const program = new Command().exitOverride();
  registerUp(program, { out: () => {}, err: () => {} });
  let flags: Parameters<typeof resilienceSettings>[0] | undefined;
  program.hook('preAction', (_program, action) => {
    flags = action.opts() as Parameters<typeof resilienceSettings>[0];
    throw new Error('stop before the action');
  });
  await program.parseAsync(['up', ...args], { from: 'user' }).catch((error: Error) => {
    if (error.message !== 'stop before the action') throw error;
  });
  return resilienceSettings(flags!);
}

describe('lblab up resilience flags', () => {
  it('default to the balancer defaults', async () => {
    expect(await settingsFor([])).toEqual({ fanout: DEFAULT_FANOUT, retries: DEFAULT_RETRIES, outlier: DEFAULT_OUTLIER });
  });

  it('set every field', async () => {
    const settings = await settingsFor([
      '--fanout-routes', 'POST /register,POST /signup',
      '--fanout-servers', '2',
      '--fanout-base', '10ms',
      '--fanout-cap', '1s',
      '--fanout-deadline', '2s',
      '--retries', '0',
      '--retry-base', '5',
      '--retry-cap', '50ms',
      '--retry-budget', '10%',
      '--retry-min', '1',
      '--retry-routes', 'POST /orders',
      '--no-ejection',
      '--eject-after', '3',
      '--eject-time', '1s',
      '--eject-max-time', '10s',
      '--eject-max-percent', '34',
    ]);
    expect(settings).toEqual({
      fanout: {
        ...DEFAULT_FANOUT,
        routes: [
          { method: 'POST', path: '/register' },
          { method: 'POST', path: '/signup' },
        ],
        servers: 2,
        baseMs: 10,
        capMs: 1_000,
        deadlineMs: 2_000,
      },
      retries: { ...DEFAULT_RETRIES, count: 0, baseMs: 5, capMs: 50, budgetPercent: 10, minRetryConcurrency: 1, routes: [{ method: 'POST', path: '/orders' }] },
      outlier: { enabled: false, consecutive5xx: 3, baseEjectionMs: 1_000, maxEjectionMs: 10_000, maxEjectionPercent: 34 },
    });
    expect((await settingsFor(['--no-fanout'])).fanout.enabled).toBe(false);
  });

  it.each([
    [['--retries', '11'], '--retries must be an integer from 0 to 10, got "11"'],
    [['--fanout-cap', '10ms'], '--fanout-cap must be at least --fanout-base (25ms), got 10ms'],
    [['--fanout-routes', 'POST register'], '--fanout-routes[0].path must be a path starting with "/" (no query; end it with * for a prefix), got "register"'],
    [['--retry-budget', '150'], '--retry-budget must be a percentage from 0 to 100, got "150"'],
    [['--eject-time', '0'], '--eject-time must be a duration from 1ms to 3600000ms, got "0"'],
    [['--fanout-servers', 'some'], '--fanout-servers must be an integer from 1 to 64, got "some"'],
  ])('refuses %j with an exact message', async (args, message) => {
    await expect(settingsFor(args)).rejects.toMatchObject({ code: 'LBLAB_BAD_INPUT', message });
  });
});
