// The CLI side of the balancer's settings: `lblab up` flags → config, checked by the balancer's own parser.
import { availableParallelism } from 'node:os';

import { describe, expect, it } from 'vitest';

import { DEFAULT_FANOUT, DEFAULT_HEALTH, DEFAULT_OUTLIER, DEFAULT_RETRIES } from '../../../balancer/config/config.js';
import { upSettings, type UpSettings } from '../../../cli/commands/up-settings.js';
import { upFlagsFor } from './fixtures/up-flags.js';

async function settingsFor(args: readonly string[]): Promise<UpSettings> {
  return upSettings(await upFlagsFor(args));
}

describe('lblab up flags', () => {
  it('default to the balancer defaults', async () => {
    expect(await settingsFor([])).toEqual({
      port: 8080,
      adminPort: 8081,
      health: DEFAULT_HEALTH,
      balancer: { fanout: DEFAULT_FANOUT, retries: DEFAULT_RETRIES, outlier: DEFAULT_OUTLIER },
    });
  });

  it('pass --workers to the balancer as a count or auto', async () => {
    expect((await settingsFor(['--workers', '2'])).balancer.workers).toBe(2);
    expect((await settingsFor(['--workers', 'auto'])).balancer.workers).toBe('auto');
  });

  it('hand the action typed values', async () => {
    const flags = await upFlagsFor(['--servers', '5', '--app', 'greeting', '--port', '9000', '--health-interval', '1.5s', '--fanout-servers', 'all']);
    expect(flags).toMatchObject({ servers: 5, app: 'greeting', port: 9000, healthInterval: 1_500, fanoutServers: 'all', retries: 2 });
  });

  it('set every field', async () => {
    const settings = await settingsFor([
      '--port', '9000',
      '--admin-port', '9100',
      '--health-interval', '1s',
      '--health-timeout', '200',
      '--fall', '3',
      '--rise', '4',
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
      port: 9000,
      adminPort: 9100,
      health: { ...DEFAULT_HEALTH, intervalMs: 1_000, timeoutMs: 200, fall: 3, rise: 4 },
      balancer: {
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
      },
    });
    expect((await settingsFor(['--no-fanout'])).balancer.fanout.enabled).toBe(false);
    expect((await settingsFor(['--no-health'])).health.enabled).toBe(false);
  });

  // Syntax errors come from the flag's parser; range and cross-field errors from the balancer's config parser.
  it.each([
    [['--retries', '11'], '--retries must be an integer from 0 to 10, got 11'],
    [['--retries', 'x'], '--retries must be an integer, got "x"'],
    [['--fanout-cap', '10ms'], '--fanout-cap must be at least --fanout-base (25), got 10 (milliseconds)'],
    [['--fanout-routes', 'POST register'], '--fanout-routes[0].path must be a path starting with "/" (no query; end it with * for a prefix), got "register"'],
    [['--retry-budget', '150'], '--retry-budget must be a percentage from 0 to 100, got "150"'],
    [['--eject-time', '0'], '--eject-time must be an integer from 1 to 3600000, got 0 (milliseconds)'],
    [['--fanout-servers', 'some'], '--fanout-servers must be "all" or an integer, got "some"'],
    [['--fanout-servers', '0'], '--fanout-servers must be "all" or an integer from 1 to 256, got 0'],
    [['--health-timeout', '0'], '--health-timeout must be an integer from 1 to 60000, got 0 (milliseconds)'],
    [['--health-interval', 'soon'], '--health-interval must be a duration like 250, 250ms, 1.5s or 2m, got "soon"'],
    [['--port', '8080', '--admin-port', '8080'], '--admin-port must differ from --port, got 8080 for both'],
    [['--port', '65535'], '--port must be an integer from 1 to 65534, got "65535"'],
    [['--servers', '257'], '--servers must be an integer from 1 to 256, got "257"'],
    [['--workers', 'x'], `--workers must be an integer from 1 to ${availableParallelism() * 4} or "auto", got "x"`],
    [['--workers', '2', '--balancer', 'haproxy'], "--workers is a setting of lblab's balancer, not of --balancer haproxy (HAProxy and nginx run as generated, one thread or worker)"],
    [['--workers', '0'], `--workers must be an integer from 1 to ${availableParallelism() * 4} or "auto", got 0`],
  ])('refuses %j with an exact message (exit 2)', async (args, message) => {
    await expect(settingsFor(args)).rejects.toMatchObject({ code: 'LBLAB_BAD_INPUT', exitCode: 2, message });
  });

  it.each([
    [['--app', 'hello'], "error: option '--app <app>' argument 'hello' is invalid. Allowed choices are factorial, greeting."],
    [['--algorithm', 'fastest'], "error: option '--algorithm <name>' argument 'fastest' is invalid. Allowed choices are round-robin"],
    [['--runtime', 'k8s'], "error: option '--runtime <runtime>' argument 'k8s' is invalid. Allowed choices are auto, docker, swarm, process."],
  ])('lets commander refuse %j, naming the flag, the value and the choices', async (args, message) => {
    await expect(upFlagsFor(args)).rejects.toMatchObject({ code: 'commander.invalidArgument', message: expect.stringContaining(message) });
  });
});
