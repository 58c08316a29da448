// Property-based: the balancer's parsers (config JSON, argv and env sources,
// the token, admin bodies) throw nothing but the project's named errors, and
// whatever they accept is within limits.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { AdminRequestError } from '../../../balancer/admin/admin-error.js';
import { planAdd, planRemove } from '../../../balancer/admin/replica-changes.js';
import { isAlgorithmError } from '../../../balancer/algorithms/index.js';
import { readAdminToken } from '../../../balancer/config/admin-token.js';
import { parseAlgorithmOptions, parseBalancerConfig } from '../../../balancer/config/config-parse.js';
import { ConfigSourceError, loadConfigSource } from '../../../balancer/config/config-source.js';
import { DEFAULT_CONFIG } from '../../../balancer/config/config.js';
import { InvalidFieldError } from '../../../balancer/config/invalid-field-error.js';
import { LIMITS, withinLimit } from '../../../balancer/config/limits.js';
import { parseFanout, parseOutlier, parseRetries } from '../../../balancer/config/resilience-parse.js';

const NUM_RUNS = 1_500;

const edgeNumber = fc.constantFrom(0, -1, 1, 0.5, 9, 10, 11, 100, 256, 257, 1000, 1001, 40_961, 65_537, 65_536, 100_000_007, 1e9, 2e9, 1e300, -0);
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  edgeNumber,
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 10 }),
  fc.constantFrom('http://127.0.0.1:1', 'http://{name}:3000', 'POST /register', 'all', '/health', 'consistent-hash', 'maglev'),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), leaf, { maxKeys: 3 }) },
);

function objectOf(fields: readonly string[], fieldValue: fc.Arbitrary<unknown> = value): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fields) }, fc.string({ maxLength: 6 })), fieldValue, { maxKeys: 5 });
}

const server = fc.record(
  { name: fc.oneof(fc.constantFrom('server1', 'server2', 's 1', ''), fc.string({ maxLength: 8 })), url: fc.oneof(fc.constantFrom('http://127.0.0.1:1', 'ftp://x'), fc.string({ maxLength: 10 })), weight: value },
  { requiredKeys: ['name', 'url'] },
);
const health = objectOf(['enabled', 'path', 'intervalMs', 'timeoutMs', 'fall', 'rise', 'fastIntervalMs', 'downIntervalMs']);
const algorithmOptions = objectOf(['virtualNodes', 'boundedLoad', 'capacity', 'tableSize'], fc.oneof(edgeNumber, fc.integer({ min: 0, max: 70_000 }), value));
const configDocument: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        host: value,
        port: fc.oneof(fc.integer({ min: -1, max: 70_000 }), value),
        adminPort: fc.oneof(fc.integer({ min: -1, max: 70_000 }), value),
        algorithm: fc.oneof(fc.constantFrom('consistent-hash', 'maglev', 'first-available', 'round-robin'), value),
        algorithmOptions: fc.oneof({ weight: 4, arbitrary: algorithmOptions }, value),
        hashKeyParam: value,
        servers: fc.oneof({ weight: 3, arbitrary: fc.array(server, { maxLength: 5 }) }, value),
        health: fc.oneof({ weight: 3, arbitrary: health }, value),
        upstreamTimeoutMs: value,
        queueTimeoutMs: value,
        queueMaxLength: value,
        serverUrlTemplate: value,
        fanout: objectOf(['enabled', 'routes', 'servers', 'baseMs', 'capMs', 'deadlineMs', 'maxBodyBytes']),
        retries: objectOf(['count', 'baseMs', 'capMs', 'budgetPercent', 'minRetryConcurrency', 'maxBodyBytes', 'routes']),
        outlier: objectOf(['enabled', 'consecutive5xx', 'baseEjectionMs', 'maxEjectionMs', 'maxEjectionPercent']),
        unknownField: value,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: value },
);

/** Runs `parse`; anything thrown must be one of `allowed`. */
function onlyNamedErrors(parse: () => unknown, allowed: (error: unknown) => boolean): void {
  try {
    parse();
  } catch (error) {
    if (!allowed(error)) throw new Error(`unexpected ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error });
  }
}

const isFieldError = (error: unknown): boolean => error instanceof InvalidFieldError && error.code === 'LBLAB_INVALID_FIELD';

describe('balancer parsers under random input', () => {
  it('parseBalancerConfig throws only InvalidFieldError, and what it accepts is within the limits', () => {
    fc.assert(
      fc.property(configDocument, (input) => {
        let parsed: ReturnType<typeof parseBalancerConfig> | undefined;
        onlyNamedErrors(() => (parsed = parseBalancerConfig(input)), isFieldError);
        if (parsed === undefined) return;
        const { config } = parsed;
        const { virtualNodes, tableSize, capacity } = config.algorithmOptions;
        if (virtualNodes !== undefined) expect(withinLimit(virtualNodes, LIMITS.virtualNodes)).toBe(true);
        if (tableSize !== undefined) expect(withinLimit(tableSize, LIMITS.tableSize)).toBe(true);
        if (capacity !== undefined) expect(withinLimit(capacity, LIMITS.capacity)).toBe(true);
        if (config.algorithm === 'consistent-hash') {
          expect(config.servers.length * (virtualNodes ?? 160)).toBeLessThanOrEqual(LIMITS.ringPoints.max);
        }
        expect(config.servers.length).toBeLessThanOrEqual(LIMITS.servers.max);
        expect(withinLimit(config.health.intervalMs, LIMITS.healthIntervalMs)).toBe(true);
        expect(withinLimit(config.upstreamTimeoutMs, LIMITS.upstreamTimeoutMs)).toBe(true);
        expect(withinLimit(config.retries.count, LIMITS.retryCount)).toBe(true);
        expect(config.retries.capMs).toBeLessThanOrEqual(LIMITS.backoffMs.max);
        expect(config.fanout.deadlineMs).toBeLessThanOrEqual(LIMITS.fanoutDeadlineMs.max);
        expect(config.outlier.maxEjectionMs).toBeLessThanOrEqual(LIMITS.ejectionMs.max);
      }),
      { numRuns: NUM_RUNS, seed: 12 },
    );
  });

  it('the admin parsers (algorithm options, fan-out, retries, outlier, /add, /rm) throw only named errors', () => {
    const adminBody = fc.oneof(
      fc.tuple(fc.constant('options'), algorithmOptions),
      fc.tuple(fc.constant('fanout'), objectOf(['enabled', 'routes', 'servers', 'baseMs', 'capMs', 'deadlineMs', 'maxBodyBytes'])),
      fc.tuple(fc.constant('retries'), objectOf(['count', 'baseMs', 'capMs', 'budgetPercent', 'minRetryConcurrency', 'maxBodyBytes', 'routes'])),
      fc.tuple(fc.constant('outlier'), objectOf(['enabled', 'consecutive5xx', 'baseEjectionMs', 'maxEjectionMs', 'maxEjectionPercent'])),
      fc.tuple(fc.constant('add'), fc.oneof(objectOf(['n', 'hostnames', 'servers']), fc.record({ n: value, hostnames: fc.array(leaf, { maxLength: 3 }), servers: fc.array(server, { maxLength: 3 }) }, { requiredKeys: [] }))),
      fc.tuple(fc.constant('rm'), fc.oneof(objectOf(['n', 'hostnames']), fc.record({ n: value, hostnames: fc.array(leaf, { maxLength: 3 }) }, { requiredKeys: [] }))),
    );
    const allowed = (error: unknown): boolean => isFieldError(error) || error instanceof AdminRequestError || isAlgorithmError(error);
    fc.assert(
      fc.property(adminBody, ([route, body]) => {
        onlyNamedErrors(() => {
          switch (route) {
            case 'options':
              return parseAlgorithmOptions('options', body, []);
            case 'fanout':
              return parseFanout('fanout', body, DEFAULT_CONFIG.fanout, []);
            case 'retries':
              return parseRetries('retries', body, DEFAULT_CONFIG.retries, []);
            case 'outlier':
              return parseOutlier('outlier', body, DEFAULT_CONFIG.outlier, []);
            case 'add':
              return planAdd(body, { existing: ['server1', 'server2'], urlTemplate: 'http://127.0.0.1:1/{name}' });
            default:
              return planRemove(body, ['server1', 'server2', 'server3'], () => 0.5);
          }
        }, allowed);
      }),
      { numRuns: NUM_RUNS, seed: 13 },
    );
  });

  it('loadConfigSource and readAdminToken throw only ConfigSourceError and InvalidFieldError', () => {
    const arg = fc.oneof(fc.constantFrom('--config', '--config=', '--help', '-h', '--config=x.json', '--token', '--'), fc.string({ maxLength: 12 }));
    const env = fc.record(
      { LBLAB_BALANCER_CONFIG: fc.oneof(fc.string({ maxLength: 20 }), fc.json()), LBLAB_TOKEN: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('t'.repeat(600))) },
      { requiredKeys: [] },
    );
    const files = new Map([['x.json', '{"port":1}']]);
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 4 }), env, (argv, variables) => {
        let source: ReturnType<typeof loadConfigSource> | undefined;
        onlyNamedErrors(
          () =>
            (source = loadConfigSource(argv, variables, (path) => {
              const text = files.get(path);
              if (text === undefined) throw new Error(`ENOENT: ${path}`);
              return text;
            })),
          (error) => error instanceof ConfigSourceError,
        );
        if (source !== undefined) onlyNamedErrors(() => parseBalancerConfig(source?.input), isFieldError);
        let token: string | undefined;
        onlyNamedErrors(() => (token = readAdminToken(variables)), isFieldError);
        if (token !== undefined) expect(withinLimit(token.length, LIMITS.adminTokenLength)).toBe(true);
      }),
      { numRuns: NUM_RUNS, seed: 14 },
    );
  });
});
