import { describe, expect, it } from 'vitest';
import { parseChoice, parseDurationOrRange, parseInteger, parseName, parseRate } from '../../../cli/commands/option-parsers.js';

describe('option parsing', () => {
  it.each([
    ['3', 3],
    [' 12 ', 12],
  ])('parseInteger(%j) = %d', (input, expected) => {
    expect(parseInteger('--servers', input, { min: 1, max: 64 })).toBe(expected);
  });

  it.each([
    ['0', '--servers must be an integer from 1 to 64, got "0"'],
    ['1.5', '--servers must be an integer from 1 to 64, got "1.5"'],
    ['three', '--servers must be an integer from 1 to 64, got "three"'],
    ['65', '--servers must be an integer from 1 to 64, got "65"'],
  ])('parseInteger(%j) fails with a message naming the option and value', (input, message) => {
    expect(() => parseInteger('--servers', input, { min: 1, max: 64 })).toThrow(message);
  });

  it('parses rates and rejects out-of-range ones', () => {
    expect(parseRate('--error-rate', '0.3')).toBe(0.3);
    expect(() => parseRate('--error-rate', '1.2')).toThrow('--error-rate must be a number from 0 to 1, got "1.2"');
    expect(() => parseRate('--error-rate', '')).toThrow('--error-rate must be a number from 0 to 1, got ""');
  });

  it.each([
    ['200', 200],
    ['200ms', 200],
    ['1.5s', 1500],
    ['100-300', [100, 300]],
    ['100ms-1s', [100, 1000]],
  ])('parseDurationOrRange(%j)', (input, expected) => {
    expect(parseDurationOrRange('--latency', input)).toEqual(expected);
  });

  it('rejects bad durations and inverted ranges', () => {
    expect(() => parseDurationOrRange('--latency', 'slow')).toThrow(
      '--latency must be a duration like 200, 200ms or 1.5s, or a range like 100-300, got "slow"',
    );
    expect(() => parseDurationOrRange('--latency', '300-100')).toThrow(
      '--latency must be a range whose first value is not above the second, got "300-100"',
    );
  });

  it('checks choices and names', () => {
    expect(parseChoice('--app', 'greeting', ['factorial', 'greeting'])).toBe('greeting');
    expect(() => parseChoice('--app', 'hello', ['factorial', 'greeting'])).toThrow('--app must be one of factorial, greeting, got "hello"');
    expect(parseName('--lab', 'lab-2')).toBe('lab-2');
    expect(() => parseName('--lab', 'My Lab')).toThrow('--lab must be a name of lowercase letters');
  });

  it('marks bad input with exit code 2', () => {
    try {
      parseInteger('--port', 'x', { min: 1, max: 2 });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'LBLAB_BAD_INPUT', exitCode: 2 });
    }
  });
});
