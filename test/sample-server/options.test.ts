import { describe, expect, it } from 'vitest';
import { NO_FAULT } from '../../sample-server/fault.js';
import { parseSampleServerOptions, type SampleServerOptions } from '../../sample-server/options.js';
import { isSampleServerError } from '../../sample-server/errors.js';

const context = { hostname: 'box-1' };

const defaults: SampleServerOptions = {
  name: 'box-1',
  host: '0.0.0.0',
  port: 3000,
  app: 'factorial',
  username: 'box-1',
  fault: NO_FAULT,
  logRequests: false,
};

type Env = Record<string, string | undefined>;

describe('parseSampleServerOptions', () => {
  it.each<[string, string[], Env, Partial<SampleServerOptions>]>([
    ['defaults', [], {}, {}],
    ['name, and username defaults to it', ['--name', 'server1'], {}, { name: 'server1', username: 'server1' }],
    ['--flag=value form', ['--name=server2', '--port=0'], {}, { name: 'server2', username: 'server2', port: 0 }],
    [
      'all flags',
      ['--name', 's3', '--port', '8001', '--host', '127.0.0.1', '--app', 'greeting', '--username', 'alice', '--log-requests'],
      {},
      { name: 's3', port: 8001, host: '127.0.0.1', app: 'greeting', username: 'alice', logRequests: true },
    ],
    [
      'fault flags',
      ['--error-rate', '0.3', '--latency', '100-300', '--hang', '--health-too', '--concurrency', '4'],
      {},
      { fault: { errorRate: 0.3, latencyMs: { minMs: 100, maxMs: 300 }, hang: true, healthToo: true, concurrency: 4 } },
    ],
    ['boolean flag with =false', ['--hang=false'], { LBLAB_FAULT_HANG: '1' }, {}],
    [
      'env',
      [],
      {
        LBLAB_SERVER_NAME: 'env1',
        LBLAB_PORT: '9000',
        LBLAB_HOST: '::',
        LBLAB_APP: 'greeting',
        LBLAB_USERNAME: 'bob',
        LBLAB_FAULT_ERROR_RATE: '1',
        LBLAB_FAULT_LATENCY_MS: '200ms',
        LBLAB_FAULT_HANG: 'true',
        LBLAB_FAULT_HEALTH_TOO: 'yes',
        LBLAB_CONCURRENCY: '8',
        LBLAB_LOG_REQUESTS: '1',
      },
      {
        name: 'env1',
        port: 9000,
        host: '::',
        app: 'greeting',
        username: 'bob',
        fault: { errorRate: 1, latencyMs: { minMs: 200, maxMs: 200 }, hang: true, healthToo: true, concurrency: 8 },
        logRequests: true,
      },
    ],
    ['flags win over env', ['--port', '7000', '--name', 'flag'], { LBLAB_PORT: '9000', LBLAB_SERVER_NAME: 'env' }, { port: 7000, name: 'flag', username: 'flag' }],
    ['empty env counts as unset', [], { LBLAB_PORT: '', LBLAB_SERVER_NAME: '' }, {}],
    ['the last repeated flag wins', ['--port', '1', '--port', '2'], {}, { port: 2 }],
  ])('%s', (_title, argv, env, expected) => {
    expect(parseSampleServerOptions(argv, env, context)).toEqual({ ...defaults, ...expected });
  });

  it.each<[string[], Env, string]>([
    [['--port', 'abc'], {}, 'Invalid --port "abc": expected an integer from 0 to 65535'],
    [['--port', '65536'], {}, 'Invalid --port "65536": expected an integer from 0 to 65535'],
    [['--port', '-1'], {}, 'Invalid --port "-1": expected an integer from 0 to 65535'],
    [[], { LBLAB_PORT: '3.5' }, 'Invalid LBLAB_PORT "3.5": expected an integer from 0 to 65535'],
    [['--app', 'hello'], {}, 'Invalid --app "hello": expected factorial or greeting'],
    [[], { LBLAB_APP: 'x' }, 'Invalid LBLAB_APP "x": expected factorial or greeting'],
    [
      ['--name', 'bad name'],
      {},
      'Invalid --name "bad name": expected 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
    [
      [],
      { LBLAB_SERVER_NAME: '-x' },
      'Invalid LBLAB_SERVER_NAME "-x": expected 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
    [['--username', 'a b'], {}, 'Invalid --username "a b": expected 1 to 64 characters without spaces'],
    [['--host', ' '], {}, 'Invalid --host " ": expected a host name or IP address'],
    [['--error-rate', '1.1'], {}, 'Invalid --error-rate "1.1": expected a number from 0 to 1'],
    [['--error-rate', '-1'], {}, 'Invalid --error-rate "-1": expected a number from 0 to 1'],
    [[], { LBLAB_FAULT_ERROR_RATE: 'half' }, 'Invalid LBLAB_FAULT_ERROR_RATE "half": expected a number from 0 to 1'],
    [
      ['--latency', '300-100'],
      {},
      'Invalid --latency "300-100": expected an integer number of milliseconds from 0 to 60000, a [min, max] pair or a "min-max" string, with min <= max',
    ],
    [
      [],
      { LBLAB_FAULT_LATENCY_MS: '1s' },
      'Invalid LBLAB_FAULT_LATENCY_MS "1s": expected an integer number of milliseconds from 0 to 60000, a [min, max] pair or a "min-max" string, with min <= max',
    ],
    [['--hang=maybe'], {}, 'Invalid --hang "maybe": expected true or false'],
    [['--concurrency', '2.5'], {}, 'Invalid --concurrency "2.5": expected an integer from 0 (no limit) to 10000'],
    [[], { LBLAB_CONCURRENCY: '10001' }, 'Invalid LBLAB_CONCURRENCY "10001": expected an integer from 0 (no limit) to 10000'],
    [[], { LBLAB_FAULT_HANG: 'on?' }, 'Invalid LBLAB_FAULT_HANG "on?": expected true or false'],
    [[], { LBLAB_LOG_REQUESTS: '2' }, 'Invalid LBLAB_LOG_REQUESTS "2": expected true or false'],
    [['--port'], {}, 'Missing value for --port: expected an integer from 0 to 65535'],
    [['--name', '--port', '1'], {}, 'Missing value for --name: expected 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit'],
    [['--latency'], {}, 'Missing value for --latency: expected milliseconds such as 200 or 100-300'],
    [
      ['--servers', '3'],
      {},
      'Unknown flag --servers: expected one of --name, --port, --host, --app, --username, --error-rate, --latency, --hang, --health-too, --concurrency, --log-requests',
    ],
    [['server1'], {}, 'Unexpected argument "server1": expected flags such as --name server1'],
    [['-p', '3000'], {}, 'Unexpected argument "-p": expected flags such as --name server1'],
    [['--hang', 'true'], {}, 'Unexpected argument "true": expected flags such as --name server1'],
    [
      ['--', '--port', '1'],
      {},
      'Unknown flag --: expected one of --name, --port, --host, --app, --username, --error-rate, --latency, --hang, --health-too, --concurrency, --log-requests',
    ],
    [['--port='], {}, 'Invalid --port "": expected an integer from 0 to 65535'],
  ])('rejects %j %j: %s', (argv, env, message) => {
    let caught: unknown;
    try {
      parseSampleServerOptions(argv, env, context);
    } catch (error) {
      caught = error;
    }
    expect(isSampleServerError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'LBLAB_BAD_INPUT', message });
  });

  it('takes inline values and --flag=false for booleans (node:util parseArgs)', () => {
    const options = parseSampleServerOptions(['--port=3001', '--name', 'server7', '--hang=false', '--log-requests'], { LBLAB_FAULT_HANG: 'true' }, context);
    expect(options).toMatchObject({ port: 3001, name: 'server7', logRequests: true, fault: { hang: false } });
  });

  it('rejects a hostname that is not a valid server name', () => {
    expect(() => parseSampleServerOptions([], {}, { hostname: 'my host' })).toThrow(
      'Invalid hostname "my host": expected 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
  });
});
