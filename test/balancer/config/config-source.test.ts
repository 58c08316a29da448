import { describe, expect, it } from 'vitest';

import { ConfigSourceError, loadConfigSource } from '../../../balancer/config/config-source.js';

const files: Record<string, string> = { 'lb.json': '{"port":9000}', 'bad.json': '{port' };
const readText = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return text;
};

describe('loadConfigSource', () => {
  it('reads --config <file> and --config=<file> before the env variable', () => {
    const env = { LBLAB_BALANCER_CONFIG: '{"port":1}' };
    expect(loadConfigSource(['--config', 'lb.json'], env, readText)).toEqual({ input: { port: 9000 }, from: '--config lb.json', help: false });
    expect(loadConfigSource(['--config=lb.json'], env, readText).input).toEqual({ port: 9000 });
  });

  it('uses LBLAB_BALANCER_CONFIG when there is no flag, else the defaults', () => {
    expect(loadConfigSource([], { LBLAB_BALANCER_CONFIG: '{"port":1}' }, readText)).toEqual({
      input: { port: 1 },
      from: 'env LBLAB_BALANCER_CONFIG',
      help: false,
    });
    expect(loadConfigSource([], {}, readText)).toEqual({ input: {}, from: 'defaults', help: false });
  });

  it.each([
    [['--config'], {}, '--config needs a file name, got nothing'],
    [['--config', 'missing.json'], {}, "cannot read config file missing.json: ENOENT: no such file, open 'missing.json'"],
    [['--config', 'bad.json'], {}, /^config file bad.json is not valid JSON: /],
    [[], { LBLAB_BALANCER_CONFIG: 'nope' }, /^env LBLAB_BALANCER_CONFIG is not valid JSON: /],
    [['--port', '1'], {}, /^unknown argument "--port"\nusage: /],
  ] as const)('refuses %j %j', (argv, env, message) => {
    let thrown: unknown;
    try {
      loadConfigSource(argv, env, readText);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigSourceError);
    if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
    else expect((thrown as Error).message).toMatch(message);
  });
});
