// Property tests (fast-check): random flag values never make a parser throw
// anything but the project's named errors, with exit code 2 and the flag's name.
import { CommanderError } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseChoice,
  parseDuration,
  parseDurationOrRange,
  parseInteger,
  parseName,
  parsePercent,
  parseRate,
} from '../../../cli/commands/option-parsers.js';
import { parseRouteFlag, parseServerCountFlag, upSettings } from '../../../cli/commands/up-settings.js';
import { LabError } from '../../../cli/errors.js';
import { formatDurationMs, parseDurationMs } from '../../../cli/scenario/duration.js';
import { upFlagsFor } from './fixtures/up-flags.js';

const RUNS = 2_000;

/** Strings a user might type: numbers with units, ranges, signs, junk, control characters, long digit runs. */
const flagText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.tuple(fc.nat(), fc.constantFrom('', 'ms', 's', 'm', 'h', '%', ' ms')).map(([n, unit]) => `${n}${unit}`),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}-${b}`),
  fc.stringMatching(/^[0-9.\-a-z% ]{0,30}$/),
  fc.constantFrom('all', '', ' ', '-0', '1e3', '0x10', 'NaN', 'Infinity', '9'.repeat(400), 'POST /a,GET /b', 'post', '/'),
);

/** Calls `parse`; returns normally or with a LabError LBLAB_BAD_INPUT (exit 2) whose message names `flag`. */
function onlyNamedErrors(flag: string, parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    expect(error).toMatchObject({ code: 'LBLAB_BAD_INPUT', exitCode: 2 });
    expect((error as LabError).message.startsWith(flag)).toBe(true);
  }
}

describe('flag parsers, random values', () => {
  it('throw only LBLAB_BAD_INPUT naming the flag', () => {
    fc.assert(
      fc.property(flagText, (text) => {
        onlyNamedErrors('--n', () => parseInteger('--n', text, { min: 1, max: 64 }));
        onlyNamedErrors('--n', () => parseInteger('--n', text));
        onlyNamedErrors('--d', () => parseDuration('--d', text));
        onlyNamedErrors('--d', () => parseDuration('--d', text, { minMs: 50, maxMs: 10_000, bareUnit: 's' }));
        onlyNamedErrors('--latency', () => parseDurationOrRange('--latency', text));
        onlyNamedErrors('--p', () => parsePercent('--p', text));
        onlyNamedErrors('--rate', () => parseRate('--rate', text));
        onlyNamedErrors('--lab', () => parseName('--lab', text));
        onlyNamedErrors('--app', () => parseChoice('--app', text, ['factorial', 'greeting']));
        onlyNamedErrors('--fanout-routes', () => parseRouteFlag('--fanout-routes', text));
        onlyNamedErrors('--fanout-servers', () => parseServerCountFlag('--fanout-servers', text));
      }),
      { numRuns: RUNS },
    );
  });

  it('accept what they promise: integers in range, durations with units, percentages', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.nat({ max: 10 ** 9 }), fc.double({ min: 0, max: 100, noNaN: true }), (n, ms, percent) => {
        expect(parseInteger('--n', ` ${n} `, { min: 1, max: 64 })).toBe(n);
        expect(parseDuration('--d', `${ms}ms`)).toBe(ms);
        expect(parseDuration('--d', formatDurationMs(ms))).toBe(ms);
        expect(parseDuration('--d', `${ms / 1000}s`)).toBe(ms);
        expect(parsePercent('--p', `${percent}%`)).toBe(percent);
      }),
      { numRuns: RUNS },
    );
  });

  it('the one duration parser never answers a negative, fractional or unsafe number', () => {
    fc.assert(
      fc.property(fc.oneof(flagText, fc.double(), fc.anything()), fc.constantFrom('ms', 's', 'm') as fc.Arbitrary<'ms' | 's' | 'm'>, (value, unit) => {
        const ms = parseDurationMs(value, unit);
        if (ms !== undefined) expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

const UP_FLAGS = [
  '--servers', '--port', '--admin-port', '--health-interval', '--health-timeout', '--fall', '--rise',
  '--fanout-routes', '--fanout-servers', '--fanout-base', '--fanout-cap', '--fanout-deadline',
  '--retries', '--retry-base', '--retry-cap', '--retry-budget', '--retry-min', '--retry-routes',
  '--eject-after', '--eject-time', '--eject-max-time', '--eject-max-percent', '--app', '--algorithm', '--runtime',
] as const;

describe('lblab up, random flag values', () => {
  it('parsing and the balancer-side check throw only LabError (exit 2, naming a flag) or a commander usage error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...UP_FLAGS), flagText), { maxLength: 4 }), async (pairs) => {
        const args = pairs.flatMap(([flag, value]) => [flag, value]);
        try {
          await upSettings(await upFlagsFor(args));
        } catch (error) {
          if (error instanceof CommanderError) {
            expect(error.exitCode).not.toBe(0);
            return;
          }
          expect(error).toBeInstanceOf(LabError);
          expect(error).toMatchObject({ code: 'LBLAB_BAD_INPUT', exitCode: 2 });
          expect((error as LabError).message).toMatch(/^--[a-z-]+/);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
