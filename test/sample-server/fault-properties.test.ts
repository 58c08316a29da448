// Property-based: the sample server's parsers (fault bodies, argv and env)
// throw only SampleServerError, and a real server answers random /_lab/fault
// bodies with 200 or 400, never 500, and keeps serving /home.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import { LIMITS } from '../../balancer/config/limits.js';
import { isSampleServerError } from '../../sample-server/errors.js';
import { parseFaultPatch } from '../../sample-server/fault.js';
import { parseSampleServerOptions } from '../../sample-server/options.js';
import { serverPool } from './start-server.js';

const pool = serverPool();
afterEach(() => pool.closeAll());

const TOKEN = 'fault-property-token-0123456789';
const FAULT_FIELDS = ['errorRate', 'latencyMs', 'hang', 'healthToo'] as const;

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, 1, 0.5, -1, 1.5, 60_000, 60_001, 1e300, 'yes', 'true', '100-300', '200ms', ' 1 - 2 ', `1${' '.repeat(60)}x`),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 12 }),
  fc.tuple(fc.integer({ min: -5, max: 70_000 }), fc.integer({ min: -5, max: 70_000 })),
);
const faultBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FAULT_FIELDS) }, fc.string({ maxLength: 6 })), leaf, { maxKeys: 4 }) },
  { weight: 1, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }) },
);

function onlySampleServerErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!isSampleServerError(error) || error.code !== 'LBLAB_BAD_INPUT') {
      throw new Error(`unexpected ${(error as Error)?.name}: ${(error as Error)?.message}`, { cause: error });
    }
  }
}

describe('sample server parsers under random input', () => {
  it('parseFaultPatch throws only SampleServerError, and what it accepts is within limits', () => {
    fc.assert(
      fc.property(faultBody, (body) => {
        let patch: ReturnType<typeof parseFaultPatch> | undefined;
        onlySampleServerErrors(() => (patch = parseFaultPatch(body)));
        if (patch === undefined) return;
        if (patch.errorRate !== undefined) expect(patch.errorRate >= 0 && patch.errorRate <= 1).toBe(true);
        if (patch.latencyMs !== undefined) {
          expect(patch.latencyMs.minMs).toBeGreaterThanOrEqual(0);
          expect(patch.latencyMs.maxMs).toBeLessThanOrEqual(LIMITS.faultLatencyMs.max);
          expect(patch.latencyMs.minMs).toBeLessThanOrEqual(patch.latencyMs.maxMs);
        }
        for (const flag of ['hang', 'healthToo'] as const) if (patch[flag] !== undefined) expect(typeof patch[flag]).toBe('boolean');
      }),
      { numRuns: 3_000, seed: 21 },
    );
  });

  it('parseSampleServerOptions throws only SampleServerError for random argv and env', () => {
    const flag = fc.constantFrom('--name', '--port', '--host', '--app', '--username', '--error-rate', '--latency', '--hang', '--health-too', '--log-requests', '--token', '-x');
    const argValue = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('0', '65536', 'greeting', '1', 'yes', '100-300', 'server1'));
    const argv = fc.array(fc.oneof(flag, argValue, fc.tuple(flag, argValue).map(([f, v]) => `${f}=${v}`)), { maxLength: 6 });
    const env = fc.dictionary(
      fc.constantFrom('LBLAB_SERVER_NAME', 'LBLAB_PORT', 'LBLAB_APP', 'LBLAB_FAULT_ERROR_RATE', 'LBLAB_FAULT_LATENCY_MS', 'LBLAB_FAULT_HANG', 'LBLAB_TOKEN'),
      argValue,
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(argv, env, (args, variables) => {
        onlySampleServerErrors(() => parseSampleServerOptions(args, variables, { hostname: 'server1' }));
      }),
      { numRuns: 2_000, seed: 22 },
    );
  });

  it('a real server answers random fault bodies with 200 or 400 (never 500) and keeps serving /home', async () => {
    const server = await pool.start({ token: TOKEN });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };
    await fc.assert(
      fc.asyncProperty(faultBody, fc.constantFrom('POST', 'DELETE', 'GET'), async (body, method) => {
        const response = await fetch(`${server.url}/_lab/fault`, { method, headers, ...(method === 'GET' ? {} : { body: JSON.stringify(body) }) });
        const answer = (await response.json()) as { status?: string; message?: string };
        expect([200, 400], `${method} ${JSON.stringify(body)}: ${JSON.stringify(answer)}`).toContain(response.status);
        if (response.status === 400) expect(answer.status).toBe('failure');
        // Clear at once, so a random hang or latency does not slow the next request down.
        if (response.status === 200 && method === 'POST') await (await fetch(`${server.url}/_lab/fault`, { method: 'DELETE', headers })).arrayBuffer();
      }),
      { numRuns: 250, seed: 23 },
    );
    const home = await fetch(`${server.url}/home`);
    expect(home.status).toBe(200);
    await home.arrayBuffer();
  });
});
