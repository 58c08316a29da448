// Property tests (fast-check): random scenario documents, as YAML text and as
// objects, never make the parser throw anything but LBLAB_SCENARIO (exit 2)
// with file:line for every problem.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { LabError } from '../../../cli/errors.js';
import { parseScenarioText } from '../../../cli/scenario/load-scenario.js';

const RUNS = 2_000;
/** Structured documents go through the whole schema; fewer of them keep the file under a few seconds. */
const DOCUMENT_RUNS = 1_000;
const SOURCE = 'random.yaml';

const GOOD = `name: good
lab:
  servers: 3
  health: {intervalMs: 200ms, timeoutMs: 150ms, fall: 2, rise: 2}
  balancer:
    retries: {count: 1}
phases:
  - {name: steady, kind: open, rate: 200, duration: 2s, path: /home, headers: {x-a: b}}
  - {kind: closed, requests: 100, concurrency: 4, keys: {count: 10}}
actions:
  - {at: 1s, action: kill, target: server2}
  - {at: 2s, action: fault, target: {server: server1, errorRate: 0.5}}
thresholds:
  errorRate: "< 0.05"
`;

/** Parses; a refusal must be a LabError LBLAB_SCENARIO, exit 2, every line of it `random.yaml:<line>: ...`. */
function parsesOrRefusesWithLines(text: string): void {
  let error: unknown;
  try {
    parseScenarioText(text, SOURCE);
    return;
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(LabError);
  expect(error).toMatchObject({ code: 'LBLAB_SCENARIO', exitCode: 2 });
  const lines = (error as LabError).message.split('\n');
  const problems = /^random\.yaml has (\d+) problems:$/.exec(lines[0] ?? '');
  const located = problems === null ? lines : lines.slice(1);
  if (problems !== null) expect(located).toHaveLength(Number(problems[1]));
  for (const line of located) expect(line).toMatch(/^random\.yaml:\d+: \S/);
}

/** Values of every kind a YAML scalar or collection can hold, and the ones lblab reads. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('3s', '500ms', '-1s', '0', 'server2', 'round-robin', 'maglev', 'closed', 'open', '/home', '/a\r\nb', '< 200', 'all'),
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
})).node;

const SCENARIO_KEYS = ['name', 'description', 'seed', 'lab', 'phases', 'actions', 'thresholds', 'warmup', 'algorithms', 'bogus'];
const LAB_KEYS = ['servers', 'app', 'algorithm', 'algorithmOptions', 'runtime', 'health', 'faults', 'balancer'];
const PHASE_KEYS = ['name', 'kind', 'requests', 'concurrency', 'rate', 'duration', 'maxInFlight', 'path', 'method', 'body', 'headers', 'keys', 'timeout'];
const BALANCER_KEYS = ['retries', 'fanout', 'outlier', 'upstreamTimeoutMs', 'queueTimeoutMs', 'hashKeyParam', 'port', 'retry'];

function shaped(keys: readonly string[], inner: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  return fc.dictionary(fc.constantFrom(...keys), inner, { maxKeys: keys.length });
}

/** Documents close to a scenario, so the checks past the first level get exercised too. */
const scenarioLike: fc.Arbitrary<unknown> = fc.record(
  {
    name: value,
    lab: fc.oneof(value, shaped(LAB_KEYS, fc.oneof(value, shaped(BALANCER_KEYS, fc.oneof(value, shaped(['count', 'baseMs', 'capMs', 'enabled', 'routes'], value)))))),
    phases: fc.oneof(value, fc.array(fc.oneof(value, shaped(PHASE_KEYS, value)), { maxLength: 3 })),
    actions: fc.oneof(value, fc.array(shaped(['at', 'action', 'target'], value), { maxLength: 3 })),
    thresholds: value,
  },
  { requiredKeys: [] },
).chain((known) => shaped(SCENARIO_KEYS, value).map((extra) => ({ ...extra, ...known })));

describe('scenario files, random documents', () => {
  it('random YAML text: parsed, or refused with file:line', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), parsesOrRefusesWithLines), { numRuns: RUNS });
  });

  it('a good scenario with random edits (inserted, deleted, replaced characters): parsed, or refused with file:line', () => {
    const edit = fc.tuple(fc.nat({ max: GOOD.length }), fc.nat({ max: 5 }), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = GOOD;
        for (const [at, remove, insert] of edits) text = text.slice(0, at) + insert + text.slice(at + remove);
        parsesOrRefusesWithLines(text);
      }),
      { numRuns: DOCUMENT_RUNS },
    );
  });

  it('random scenario-shaped objects written as YAML: parsed, or refused with file:line', () => {
    fc.assert(fc.property(scenarioLike, (document) => parsesOrRefusesWithLines(stringify(document))), { numRuns: DOCUMENT_RUNS });
  });

  it('aliases within the limit are fine; more are refused, never expanded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), (width, depth) => {
        const lines = ['base: &l0 [x]'];
        for (let level = 1; level <= depth; level++) lines.push(`l${level}: &l${level} [${Array.from({ length: width }, () => `*l${level - 1}`).join(', ')}]`);
        lines.push('phases: [{kind: closed, requests: 1, concurrency: 1}]');
        parsesOrRefusesWithLines(lines.join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});
