import { describe, expect, it } from 'vitest';

import { ALGORITHM_NAMES } from '../../../balancer/algorithms/algorithm.js';
import { DEFAULT_CONFIG, DEFAULT_HEALTH } from '../../../balancer/config/config.js';
import { parseBalancerConfig } from '../../../balancer/config/config-parse.js';
import { InvalidFieldError } from '../../../balancer/config/invalid-field-error.js';

describe('parseBalancerConfig', () => {
  it('gives the defaults for {}', () => {
    expect(parseBalancerConfig({})).toEqual({ config: DEFAULT_CONFIG, warnings: [] });
  });

  it('merges over the defaults, deep for health, and derives the admin port and host', () => {
    const { config } = parseBalancerConfig({
      host: '0.0.0.0',
      port: 9000,
      health: { intervalMs: 50 },
      servers: [{ name: 'server1', url: 'http://127.0.0.1:9001', weight: 3 }],
      serverUrlTemplate: 'http://{name}:3000',
    });
    expect(config).toEqual({
      ...DEFAULT_CONFIG,
      host: '0.0.0.0',
      port: 9000,
      adminHost: '0.0.0.0',
      adminPort: 9001,
      health: { ...DEFAULT_HEALTH, intervalMs: 50 },
      servers: [{ name: 'server1', url: 'http://127.0.0.1:9001', weight: 3 }],
      serverUrlTemplate: 'http://{name}:3000',
    });
  });

  it('keeps an explicit admin host and port, and port 0 gives admin port 0', () => {
    expect(parseBalancerConfig({ port: 0 }).config.adminPort).toBe(0);
    expect(parseBalancerConfig({ host: '0.0.0.0', adminHost: '127.0.0.1', adminPort: 7000 }).config).toMatchObject({
      adminHost: '127.0.0.1',
      adminPort: 7000,
    });
  });

  it('merges fan-out, retry and ejection settings over their defaults and accepts routes as strings', () => {
    const { config } = parseBalancerConfig({
      fanout: { routes: ['post /signup', { method: 'PUT', path: '/api/*' }], servers: 2, deadlineMs: 400 },
      retries: { count: 0 },
      outlier: { enabled: false },
    });
    expect(config.fanout).toEqual({
      ...DEFAULT_CONFIG.fanout,
      routes: [
        { method: 'POST', path: '/signup' },
        { method: 'PUT', path: '/api/*' },
      ],
      servers: 2,
      deadlineMs: 400,
    });
    expect(config.retries).toEqual({ ...DEFAULT_CONFIG.retries, count: 0 });
    expect(config.outlier).toEqual({ ...DEFAULT_CONFIG.outlier, enabled: false });
  });

  it('reports unknown fields as warnings, not errors', () => {
    const { warnings } = parseBalancerConfig({ retry: { budget: 0.1 }, health: { jitter: 1 }, retries: { budget: 0.1 } });
    expect(warnings).toEqual([
      'config.retry is not a known field and is ignored (value {"budget":0.1}); fields: host, port, adminHost, adminPort, algorithm, ' +
        'algorithmOptions, hashKeyParam, servers, health, upstreamTimeoutMs, queueTimeoutMs, queueMaxLength, connectTimeoutMs, ' +
        'shutdownSessions, maxConnections, serverUrlTemplate, ' +
        'fanout, retries, outlier, mode, seedApi, workers',
      'config.health.jitter is not a known field and is ignored (value 1); fields: enabled, path, intervalMs, timeoutMs, fall, rise, fastIntervalMs, downIntervalMs, check',
      'config.retries.budget is not a known field and is ignored (value 0.1); fields: count, baseMs, capMs, budgetPercent, ' +
        'minRetryConcurrency, maxBodyBytes, routes',
    ]);
  });

  const cases: [string, unknown, string][] = [
    ['not an object', [], 'config must be an object, got []'],
    ['health interval a string', { health: { intervalMs: 'x' } }, 'config.health.intervalMs must be an integer from 10 to 60000, got "x"'],
    ['health interval 0', { health: { intervalMs: 0 } }, 'config.health.intervalMs must be an integer from 10 to 60000, got 0'],
    ['health timeout fractional', { health: { timeoutMs: 1.5 } }, 'config.health.timeoutMs must be an integer from 1 to 60000, got 1.5'],
    ['fall negative', { health: { fall: -1 } }, 'config.health.fall must be an integer from 1 to 100, got -1'],
    ['rise null', { health: { rise: null } }, 'config.health.rise must be an integer from 1 to 100, got null'],
    ['enabled a string', { health: { enabled: 'yes' } }, 'config.health.enabled must be true or false, got "yes"'],
    ['health path relative', { health: { path: 'health' } }, 'config.health.path must be a path starting with "/" (no spaces, query or fragment), got "health"'],
    ['health not an object', { health: 5 }, 'config.health must be an object, got 5'],
    ['port too big', { port: 70000 }, 'config.port must be an integer from 0 to 65535, got 70000'],
    ['admin port a string', { adminPort: '8081' }, 'config.adminPort must be an integer from 0 to 65535, got "8081"'],
    ['admin port from port 65535', { port: 65535 }, 'config.adminPort must be an integer from 0 to 65535 (it defaults to config.port + 1), got 65536'],
    ['same ports', { port: 8000, adminPort: 8000 }, 'config.adminPort must differ from config.port, got 8000 for both'],
    ['empty host', { host: '' }, 'config.host must be a non-empty string, got ""'],
    ['unknown algorithm', { algorithm: 'fastest' }, `config.algorithm must be one of ${ALGORITHM_NAMES.join(', ')}, got "fastest"`],
    ['capacity 0', { algorithmOptions: { capacity: 0 } }, 'config.algorithmOptions.capacity must be an integer from 1 to 10000, got 0'],
    ['bounded load 1', { algorithmOptions: { boundedLoad: 1 } }, 'config.algorithmOptions.boundedLoad must be a number greater than 1 and at most 10, got 1'],
    ['empty hash key param', { hashKeyParam: '' }, 'config.hashKeyParam must be a non-empty string, got ""'],
    ['servers not an array', { servers: {} }, 'config.servers must be an array of {"name","url","weight"} objects, got {}'],
    ['server url empty', { servers: [{ name: 'server1', url: '' }] }, 'config.servers[0].url must be an http:// or https:// URL, got ""'],
    [
      'server url with a query',
      { servers: [{ name: 'server1', url: 'http://127.0.0.1:1/?a=1' }] },
      'config.servers[0].url must be a URL without query or fragment, got "http://127.0.0.1:1/?a=1"',
    ],
    [
      'server name with a space',
      { servers: [{ name: 'server 1', url: 'http://127.0.0.1:1' }] },
      'config.servers[0].name must be a server name (letters, digits, ".", "_", "-"; at most 63 characters), got "server 1"',
    ],
    ['server weight 0', { servers: [{ name: 'a', url: 'http://127.0.0.1:1', weight: 0 }] }, 'config.servers[0].weight must be an integer from 1 to 1000, got 0'],
    ['server extra field', { servers: [{ name: 'a', url: 'http://127.0.0.1:1', port: 1 }] }, 'config.servers[0].port is not a known field; fields: name, url, weight'],
    [
      'repeated server name',
      { servers: [{ name: 'a', url: 'http://127.0.0.1:1' }, { name: 'a', url: 'http://127.0.0.1:2' }] },
      'config.servers[1].name repeats the server name "a"',
    ],
    ['upstream timeout 0', { upstreamTimeoutMs: 0 }, 'config.upstreamTimeoutMs must be an integer from 1 to 600000, got 0'],
    ['queue timeout string', { queueTimeoutMs: '5s' }, 'config.queueTimeoutMs must be an integer from 1 to 600000, got "5s"'],
    ['queue length 0', { queueMaxLength: 0 }, 'config.queueMaxLength must be an integer from 1 to 100000, got 0'],
    ['template without {name}', { serverUrlTemplate: 'http://x:3000' }, 'config.serverUrlTemplate must be a URL containing "{name}", got "http://x:3000"'],
    [
      'template not http',
      { serverUrlTemplate: 'ftp://{name}:3000' },
      'config.serverUrlTemplate must be an http:// or https:// URL containing "{name}", got "ftp://{name}:3000"',
    ],
    ['fanout not an object', { fanout: true }, 'config.fanout must be an object, got true'],
    ['fanout enabled a string', { fanout: { enabled: 'no' } }, 'config.fanout.enabled must be true or false, got "no"'],
    [
      'fanout route without a path',
      { fanout: { routes: ['POST'] } },
      'config.fanout.routes[0] must be a route like "POST /register" or {"method":"POST","path":"/register"}, got "POST"',
    ],
    [
      'fanout route with a relative path',
      { fanout: { routes: [{ method: 'POST', path: 'register' }] } },
      'config.fanout.routes[0].path must be a path starting with "/" (no query; end it with * for a prefix), got "register"',
    ],
    [
      'fanout route method not a word',
      { fanout: { routes: ['P-ST /register'] } },
      'config.fanout.routes[0].method must be an HTTP method such as POST, got "P-ST"',
    ],
    ['fanout routes not an array', { fanout: { routes: 5 } }, 'config.fanout.routes must be an array of routes like "POST /register", got 5'],
    ['fanout servers 0', { fanout: { servers: 0 } }, 'config.fanout.servers must be "all" or an integer from 1 to 256, got 0'],
    ['fanout servers "some"', { fanout: { servers: 'some' } }, 'config.fanout.servers must be "all" or an integer from 1 to 256, got "some"'],
    ['fanout base 0', { fanout: { baseMs: 0 } }, 'config.fanout.baseMs must be an integer from 1 to 60000, got 0'],
    ['fanout cap below base', { fanout: { baseMs: 100, capMs: 50 } }, 'config.fanout.capMs must be at least config.fanout.baseMs (100), got 50'],
    ['fanout deadline too long', { fanout: { deadlineMs: 600_001 } }, 'config.fanout.deadlineMs must be an integer from 1 to 600000, got 600001'],
    ['fanout body limit 0', { fanout: { maxBodyBytes: 0 } }, 'config.fanout.maxBodyBytes must be an integer from 1 to 67108864, got 0'],
    ['retries count 11', { retries: { count: 11 } }, 'config.retries.count must be an integer from 0 to 10, got 11'],
    ['retries count -1', { retries: { count: -1 } }, 'config.retries.count must be an integer from 0 to 10, got -1'],
    ['retries cap below base', { retries: { capMs: 10 } }, 'config.retries.capMs must be at least config.retries.baseMs (25), got 10'],
    ['retry budget 101%', { retries: { budgetPercent: 101 } }, 'config.retries.budgetPercent must be a number from 0 to 100, got 101'],
    ['retry minimum 1.5', { retries: { minRetryConcurrency: 1.5 } }, 'config.retries.minRetryConcurrency must be an integer from 0 to 10000, got 1.5'],
    ['retry body limit -1', { retries: { maxBodyBytes: -1 } }, 'config.retries.maxBodyBytes must be an integer from 0 to 67108864, got -1'],
    ['outlier threshold 0', { outlier: { consecutive5xx: 0 } }, 'config.outlier.consecutive5xx must be an integer from 1 to 1000, got 0'],
    [
      'outlier max below base',
      { outlier: { baseEjectionMs: 1000, maxEjectionMs: 500 } },
      'config.outlier.maxEjectionMs must be at least config.outlier.baseEjectionMs (1000), got 500',
    ],
    ['outlier percent -1', { outlier: { maxEjectionPercent: -1 } }, 'config.outlier.maxEjectionPercent must be a number from 0 to 100, got -1'],
    // The bounds of limits.ts (issue 12: each of these once crashed or froze the balancer).
    ['virtual nodes 2e9', { algorithmOptions: { virtualNodes: 2e9 } }, 'config.algorithmOptions.virtualNodes must be an integer from 1 to 1000, got 2000000000'],
    ['virtual nodes 1e9', { algorithmOptions: { virtualNodes: 1e9 } }, 'config.algorithmOptions.virtualNodes must be an integer from 1 to 1000, got 1000000000'],
    ['virtual nodes 2e6', { algorithmOptions: { virtualNodes: 2e6 } }, 'config.algorithmOptions.virtualNodes must be an integer from 1 to 1000, got 2000000'],
    ['table size 100000007', { algorithmOptions: { tableSize: 100_000_007 } }, 'config.algorithmOptions.tableSize must be an integer from 257 to 65537, got 100000007'],
    ['table size not prime', { algorithmOptions: { tableSize: 65_535 } }, 'config.algorithmOptions.tableSize must be a prime number from 257 to 65537 (e.g. 65537), got 65535'],
    ['bounded load 11', { algorithmOptions: { boundedLoad: 11 } }, 'config.algorithmOptions.boundedLoad must be a number greater than 1 and at most 10, got 11'],
    [
      'ring too large',
      { algorithm: 'consistent-hash', algorithmOptions: { virtualNodes: 1000 }, servers: Array.from({ length: 41 }, (_, i) => ({ name: `s${i}`, url: 'http://127.0.0.1:1' })) },
      'config.servers: the consistent-hash ring would have 41 servers x 1000 virtualNodes = 41000 points, more than 40960 (at most 999 virtualNodes for 41 servers)',
    ],
    [
      '257 servers',
      { servers: Array.from({ length: 257 }, (_, i) => ({ name: `s${i}`, url: 'http://127.0.0.1:1' })) },
      'config.servers must have at most 256 items, got 257',
    ],
    ['health interval 9', { health: { intervalMs: 9 } }, 'config.health.intervalMs must be an integer from 10 to 60000, got 9'],
    ['upstream timeout 1e12', { upstreamTimeoutMs: 1e12 }, 'config.upstreamTimeoutMs must be an integer from 1 to 600000, got 1000000000000'],
    ['queue length 1e9', { queueMaxLength: 1e9 }, 'config.queueMaxLength must be an integer from 1 to 100000, got 1000000000'],
    ['fanout servers 257', { fanout: { servers: 257 } }, 'config.fanout.servers must be "all" or an integer from 1 to 256, got 257'],
    ['server weight 1e6', { servers: [{ name: 'a', url: 'http://127.0.0.1:1', weight: 1e6 }] }, 'config.servers[0].weight must be an integer from 1 to 1000, got 1000000'],
    ['long host', { host: 'h'.repeat(254) }, 'config.host must be at most 253 characters, got 254'],
    [
      '65 fanout routes',
      { fanout: { routes: Array.from({ length: 65 }, () => 'POST /x') } },
      'config.fanout.routes must have at most 64 items, got 65',
    ],
  ];

  it.each(cases)('%s', (_label, input, message) => {
    let thrown: unknown;
    try {
      parseBalancerConfig(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidFieldError);
    expect((thrown as InvalidFieldError).code).toBe('LBLAB_INVALID_FIELD');
    expect((thrown as Error).message).toBe(message);
  });
});
