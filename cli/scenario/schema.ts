// The scenario file format (documented in scenarios/README.md). Parsing gives
// a normalised Scenario: durations in milliseconds, defaults applied, action
// targets in one shape per action.
import * as z from 'zod';
import { ALGORITHM_NAMES, type AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import { tcpAlgorithmProblem } from '../../balancer/tcp/tcp-algorithms.js';
import { LIMITS } from '../../balancer/config/limits.js';
import { MAX_LAB_SERVERS } from '../lab/lab-limits.js';
import { CONNECTION_POLICIES } from '../load/load-options.js';
import { labBalancerProblems } from './lab-balancer-check.js';
import { BALANCER_KINDS } from '../balancers/balancer-kind.js';
import { THRESHOLD_NAMES, type ThresholdName } from './threshold-metrics.js';
import {
  boolean,
  choice,
  mapping,
  duration,
  integer,
  latencySpec,
  positiveDuration,
  positiveNumber,
  requestHeaders,
  requestPath,
  SENTENCE,
  serverName,
  serverNames,
  shareNumber,
  thresholdValue,
} from './schema-fields.js';

export const SCENARIO_ACTIONS = ['kill', 'revive', 'pause', 'unpause', 'add', 'rm', 'fault', 'algorithm'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const MAX_SERVERS = MAX_LAB_SERVERS;
const MAX_REQUESTS = 100_000_000;
const MAX_CONCURRENCY = 10_000;
const MAX_RATE_PER_SEC = 1_000_000;

/**
 * Balancer settings that lblab itself sets (from the rest of the scenario or
 * the command line); `lab.balancer` may not override them.
 */
/** Fields of lab.balancer that are lblab's own choices, not settings of the balancer: the kind, `closest`, the admin token switch. */
const LBLAB_BALANCER_FIELDS = ['kind', 'closest', 'adminAuth'] as const;

export const RESERVED_BALANCER_FIELDS = [
  'host',
  'port',
  'adminHost',
  'adminPort',
  'servers',
  'algorithm',
  'algorithmOptions',
  'health',
  'serverUrlTemplate',
] as const;

const algorithmName = choice(ALGORITHM_NAMES);

const MAX_WORKERS = LIMITS.serverConcurrency.max;
/** A sample server's workers (see sample-server/fault.ts, FaultState.concurrency). */
const concurrencySpec = () => integer(0, MAX_WORKERS, `an integer from 0 (no limit) to ${MAX_WORKERS}`);

const faultSchema = mapping(
  {
    errorRate: shareNumber().optional(),
    latencyMs: latencySpec().optional(),
    hang: boolean().optional(),
    concurrency: concurrencySpec().optional(),
  },
  'a mapping of errorRate, latencyMs, hang and concurrency',
);

const healthSchema = mapping(
  {
    enabled: boolean().optional(),
    path: requestPath().optional(),
    intervalMs: positiveDuration().optional(),
    timeoutMs: positiveDuration().optional(),
    fall: integer(1, 100).optional(),
    rise: integer(1, 100).optional(),
    check: choice(['http', 'tcp']).optional(),
  },
  'a mapping of enabled, path, intervalMs, timeoutMs, fall, rise and check',
);

const algorithmOptionsSchema = mapping(
  {
    virtualNodes: integer(1, 100_000).optional(),
    boundedLoad: z.number({ error: 'a number above 1, e.g. 1.25' }).gt(1, { error: 'a number above 1, e.g. 1.25' }).optional(),
    capacity: integer(1, 10_000).optional(),
    tableSize: integer(1, 10_000_000).optional(),
  },
  'a mapping of virtualNodes, boundedLoad, capacity and tableSize',
);

/*
 * `lab.balancer` holds balancer settings passed to the balancer as they are
 * (retries, fan-out, outlier, timeouts...); the lab's superRefine checks them
 * with the balancer's own config parser (see lab-balancer-check.ts).
 */
const balancerSettingsSchema = z
  .record(z.string(), z.unknown(), { error: 'a mapping of balancer settings (e.g. retries, fanout)' })
  .superRefine((settings, ctx) => {
    if ('mode' in settings && settings.mode !== 'http' && settings.mode !== 'tcp') {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: `must be http or tcp, got ${JSON.stringify(settings.mode)}`, params: SENTENCE });
    }
    for (const field of RESERVED_BALANCER_FIELDS) {
      if (field in settings) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `is set by lblab, not in lab.balancer (use the lab fields or the run flags)`,
          params: SENTENCE,
        });
      }
    }
    if ('kind' in settings && !(BALANCER_KINDS as readonly unknown[]).includes(settings.kind)) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `must be one of ${BALANCER_KINDS.join(', ')}`, params: SENTENCE });
    }
    if ('closest' in settings && typeof settings.closest !== 'boolean') {
      ctx.addIssue({ code: 'custom', path: ['closest'], message: 'must be true or false', params: SENTENCE });
    }
    // Not a balancer setting: lblab's own switch for the lab's admin token (see `lblab up --admin-auth`).
    if ('adminAuth' in settings && settings.adminAuth !== 'token' && settings.adminAuth !== 'none') {
      ctx.addIssue({ code: 'custom', path: ['adminAuth'], message: `must be token or none, got ${JSON.stringify(settings.adminAuth)}`, params: SENTENCE });
    }
  });

const labSchema = mapping(
  {
    servers: integer(1, MAX_SERVERS).default(3),
    app: choice(['factorial', 'greeting']).default('factorial'),
    algorithm: algorithmName.optional(),
    algorithmOptions: algorithmOptionsSchema.optional(),
    runtime: choice(['auto', 'docker', 'swarm', 'process']).optional(),
    health: healthSchema.optional(),
    faults: z.record(serverName(), faultSchema, { error: 'a mapping of server names to faults' }).optional(),
    weights: z.record(serverName(), integer(1, 1000), { error: 'a mapping of server names to weights from 1 to 1000' }).optional(),
    usernames: z.record(serverName(), z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), { error: 'a mapping of server names to usernames' }).optional(),
    balancer: balancerSettingsSchema.optional(),
  },
  'a mapping of servers, app, algorithm, algorithmOptions, runtime, health, faults, weights, usernames and balancer',
).superRefine((lab, ctx) => {
  for (const problem of labBalancerProblems(lab, [...RESERVED_BALANCER_FIELDS, ...LBLAB_BALANCER_FIELDS])) {
    ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.text, params: SENTENCE });
  }
});

const keysSchema = mapping(
  {
    param: z
      .string({ error: 'a query parameter name (letters, digits, _ . ~ -)' })
      .regex(/^[A-Za-z0-9_.~-]+$/, { error: 'a query parameter name (letters, digits, _ . ~ -)' })
      .default('id'),
    count: integer(1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
    distribution: choice(['uniform', 'sequential']).default('uniform'),
  },
  'a mapping of param, count and distribution',
);

const methodSchema = z
  .string({ error: `one of ${HTTP_METHODS.join(', ')}` })
  .transform((value) => value.toUpperCase())
  .pipe(choice(HTTP_METHODS));

const CLOSED_FIELDS = ['requests', 'concurrency'] as const;
const OPEN_FIELDS = ['rate', 'duration', 'maxInFlight', 'connections'] as const;

const phaseSchema = mapping(
  {
    name: z.string({ error: 'a text' }).min(1, { error: 'a non-empty text' }).optional(),
    kind: choice(['closed', 'open', 'replay']),
    file: z.string({ error: 'a schedule file written by lblab run --record' }).min(1, { error: 'a schedule file written by lblab run --record' }).optional(),
    speed: positiveNumber(1000).optional(),
    requests: integer(1, MAX_REQUESTS).optional(),
    concurrency: integer(1, MAX_CONCURRENCY).optional(),
    rate: positiveNumber(MAX_RATE_PER_SEC).optional(),
    duration: positiveDuration().optional(),
    maxInFlight: integer(1, MAX_CONCURRENCY * 10).optional(),
    connections: integer(1, MAX_CONCURRENCY).optional(),
    path: requestPath().default('/'),
    method: methodSchema.default('GET'),
    body: z
      .custom<string | object>((value) => typeof value === 'string' || (typeof value === 'object' && value !== null), {
        error: 'a text, or a mapping or list (sent as JSON)',
      })
      .optional(),
    headers: requestHeaders().optional(),
    keys: keysSchema.optional(),
    timeout: positiveDuration().optional(),
    connection: choice(CONNECTION_POLICIES).optional(),
  },
  'a mapping with kind (closed, open or replay) and its fields',
).superRefine((phase, ctx) => {
  if (phase.kind === 'replay') {
    if (phase.file === undefined) ctx.addIssue({ code: 'custom', path: ['file'], message: 'is required in a replay phase: a schedule file written by lblab run --record', params: SENTENCE });
    for (const field of [...CLOSED_FIELDS, 'rate', 'duration'] as const) {
      if (phase[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'does not belong to a replay phase (the file sets the requests and their times)', params: SENTENCE });
    }
    return;
  }
  for (const field of ['file', 'speed'] as const) {
    if (phase[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `belongs to replay phases; this phase is ${phase.kind}`, params: SENTENCE });
  }
  const required = phase.kind === 'closed' ? CLOSED_FIELDS : (['rate', 'duration'] as const);
  const foreign = phase.kind === 'closed' ? OPEN_FIELDS : CLOSED_FIELDS;
  const expected: Record<string, string> = {
    requests: `an integer from 1 to ${MAX_REQUESTS}`,
    concurrency: `an integer from 1 to ${MAX_CONCURRENCY}`,
    rate: 'a positive number (requests per second)',
    duration: 'a duration above 0 like 10s',
  };
  for (const field of required) {
    if (phase[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: `is required in ${phase.kind === 'open' ? 'an' : 'a'} ${phase.kind} phase: ${expected[field] ?? ''}`, params: SENTENCE });
    }
  }
  for (const field of foreign) {
    if (phase[field] !== undefined) {
      const other = phase.kind === 'closed' ? 'open' : 'closed';
      ctx.addIssue({ code: 'custom', path: [field], message: `belongs to ${other} phases; this phase is ${phase.kind}`, params: SENTENCE });
    }
  }
});

const faultTargetSchema = mapping(
  {
    server: serverName(),
    errorRate: shareNumber().optional(),
    latencyMs: latencySpec().optional(),
    hang: boolean().optional(),
    concurrency: concurrencySpec().optional(),
    clear: boolean().optional(),
  },
  'a mapping like {server: server2, errorRate: 0.3, latencyMs: 200ms} or {server: server2, clear: true}',
).superRefine((target, ctx) => {
  const hasFault = target.errorRate !== undefined || target.latencyMs !== undefined || target.hang !== undefined || target.concurrency !== undefined;
  if (target.clear === true && hasFault) {
    ctx.addIssue({ code: 'custom', path: ['clear'], message: 'cannot be combined with errorRate, latencyMs, hang or concurrency', params: SENTENCE });
  } else if (target.clear !== true && !hasFault) {
    ctx.addIssue({ code: 'custom', path: [], message: 'needs errorRate, latencyMs, hang, concurrency or clear: true', params: SENTENCE });
  }
});

export type ScenarioFault = z.output<typeof faultSchema>;

export type ScenarioAction =
  | { readonly atMs: number; readonly action: 'kill' | 'revive' | 'pause' | 'unpause' | 'rm'; readonly servers: readonly string[] }
  | { readonly atMs: number; readonly action: 'add'; readonly servers: readonly string[] }
  | { readonly atMs: number; readonly action: 'fault'; readonly server: string; readonly fault: ScenarioFault | undefined }
  | { readonly atMs: number; readonly action: 'algorithm'; readonly algorithm: (typeof ALGORITHM_NAMES)[number] };

const TARGET_SCHEMAS = {
  kill: serverNames(),
  revive: serverNames(),
  pause: serverNames(),
  unpause: serverNames(),
  rm: serverNames(),
  add: serverNames().optional(),
  fault: faultTargetSchema,
  algorithm: algorithmName,
} as const;

const actionSchema = mapping(
  {
    at: duration(),
    action: choice(SCENARIO_ACTIONS),
    target: z.unknown().optional(),
  },
  'a mapping of at, action and target',
).transform((raw, ctx): ScenarioAction => {
  const parsed = TARGET_SCHEMAS[raw.action].safeParse(raw.target);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ ...issue, path: ['target', ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
    }
    return z.NEVER;
  }
  const target: unknown = parsed.data;
  switch (raw.action) {
    case 'fault': {
      const { server, clear, ...fault } = target as z.output<typeof faultTargetSchema>;
      return { atMs: raw.at, action: 'fault', server, fault: clear === true ? undefined : fault };
    }
    case 'algorithm':
      return { atMs: raw.at, action: 'algorithm', algorithm: target as (typeof ALGORITHM_NAMES)[number] };
    case 'add':
      return { atMs: raw.at, action: 'add', servers: (target as string[] | undefined) ?? [] };
    default:
      return { atMs: raw.at, action: raw.action, servers: target as string[] };
  }
});

const thresholdsSchema = mapping(
  Object.fromEntries(THRESHOLD_NAMES.map((name) => [name, thresholdValue().optional()])) as Record<
    ThresholdName,
    z.ZodOptional<ReturnType<typeof thresholdValue>>
  >,
  `a mapping of ${THRESHOLD_NAMES.join(', ')}`,
);

const MAX_PASSES = 10;

/** One pass of a run in its own lab: the balancer's mode and the load's connection policy (issue 18, `l4-vs-l7`). */
const passSchema = mapping(
  {
    name: z.string({ error: 'a text' }).min(1, { error: 'a non-empty text' }),
    mode: choice(['http', 'tcp']).optional(),
    connection: choice(CONNECTION_POLICIES).optional(),
  },
  'a mapping of name, mode (http or tcp) and connection (keep-alive or new)',
);

export const SCENARIO_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export const scenarioSchema = mapping(
  {
    name: z
      .string({ error: 'a name of letters, digits, ".", "_" or "-"' })
      .regex(SCENARIO_NAME_PATTERN, { error: 'a name of letters, digits, ".", "_" or "-" (at most 63)' })
      .optional(),
    description: z.string({ error: 'a text' }).optional(),
    seed: integer(0, 2 ** 32 - 1).optional(),
    lab: labSchema.prefault({}),
    phases: z.array(phaseSchema, { error: 'a list of load phases' }).min(1, { error: 'a list of at least one load phase' }),
    actions: z.array(actionSchema, { error: 'a list of actions' }).default([]),
    thresholds: thresholdsSchema.default({}),
    warmup: phaseSchema.optional(),
    algorithms: z.array(algorithmName, { error: 'a list of algorithm names' }).min(1, { error: 'a list of at least one algorithm name' }).optional(),
    passes: z.array(passSchema, { error: 'a list of passes' }).min(1, { error: 'a list of at least one pass' }).max(MAX_PASSES, { error: `a list of at most ${MAX_PASSES} passes` }).optional(),
    balancers: z
      .array(choice(BALANCER_KINDS), { error: `a list of balancer kinds (${BALANCER_KINDS.join(', ')})` })
      .min(1, { error: 'a list of at least one balancer kind' })
      .optional(),
  },
  'a mapping with name, description, lab, phases, actions and thresholds',
).superRefine((scenario, ctx) => {
  const initial = Array.from({ length: scenario.lab.servers }, (_, i) => `server${i + 1}`);
  for (const [field, name] of (['faults', 'weights', 'usernames'] as const).flatMap((f) => Object.keys(scenario.lab[f] ?? {}).map((n) => [f, n] as const))) {
    if (!initial.includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['lab', field, name], message: `names no server of the lab; servers: ${initial.join(', ')}`, params: SENTENCE });
    }
  }
  checkActionServers(scenario.actions, initial, ctx);
  checkPasses(scenario, ctx);
  if (scenario.balancers !== undefined && (scenario.algorithms !== undefined || scenario.passes !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['balancers'],
      message: 'cannot be combined with algorithms or passes: a run compares either balancers, algorithms or passes',
      params: SENTENCE,
    });
  }
});

/** Every server an action names exists by then: one of the lab's, or one added by an earlier `add`. */
function checkActionServers(actions: readonly ScenarioAction[], initial: readonly string[], ctx: z.RefinementCtx): void {
  const known = new Set(initial);
  const order = actions.map((action, index) => ({ action, index })).sort((a, b) => a.action.atMs - b.action.atMs || a.index - b.index);
  for (const { action, index } of order) {
    const named = action.action === 'fault' ? [action.server] : action.action === 'algorithm' || action.action === 'add' ? [] : action.servers;
    for (const name of named) {
      if (!known.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['actions', index, 'target'],
          message: `names ${name}, which is not in the lab at that time; servers then: ${[...known].join(', ')}`,
          params: SENTENCE,
        });
      }
    }
    if (action.action === 'add') {
      const added = action.servers.length > 0 ? action.servers : [nextFreeName(known)];
      for (const name of added) {
        if (known.has(name)) {
          ctx.addIssue({ code: 'custom', path: ['actions', index, 'target'], message: `adds ${name}, which is already in the lab`, params: SENTENCE });
        }
        known.add(name);
      }
    }
    if (action.action === 'rm') for (const name of action.servers) known.delete(name);
  }
}

/** `passes` and `algorithms` exclude each other; every algorithm a tcp-mode lab meets must work per connection. */
function checkPasses(
  scenario: {
    readonly lab: { readonly algorithm?: string | undefined; readonly balancer?: Record<string, unknown> | undefined };
    readonly algorithms?: readonly string[] | undefined;
    readonly actions: readonly ScenarioAction[];
    readonly passes?: readonly { readonly name: string; readonly mode?: 'http' | 'tcp' | undefined }[] | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (scenario.passes !== undefined && scenario.algorithms !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['passes'], message: 'cannot be combined with algorithms (a pass names its own mode and connection policy)', params: SENTENCE });
  }
  const names = new Set<string>();
  for (const [index, pass] of (scenario.passes ?? []).entries()) {
    if (names.has(pass.name)) ctx.addIssue({ code: 'custom', path: ['passes', index, 'name'], message: `repeats the pass name "${pass.name}"`, params: SENTENCE });
    names.add(pass.name);
  }
  const labMode = scenario.lab.balancer?.mode === 'tcp' ? 'tcp' : 'http';
  const tcp = labMode === 'tcp' || (scenario.passes ?? []).some((pass) => pass.mode === 'tcp');
  if (!tcp) return;
  const used: { path: (string | number)[]; algorithm: string }[] = [
    ...(scenario.lab.algorithm === undefined ? [] : [{ path: ['lab', 'algorithm'], algorithm: scenario.lab.algorithm }]),
    ...(scenario.algorithms ?? []).map((algorithm, index) => ({ path: ['algorithms', index], algorithm })),
    ...scenario.actions.flatMap((action, index) => (action.action === 'algorithm' ? [{ path: ['actions', index, 'target'], algorithm: action.algorithm }] : [])),
  ];
  for (const { path, algorithm } of used) {
    const problem = tcpAlgorithmProblem(algorithm as AlgorithmName);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path, message: `is refused in tcp mode: ${problem}`, params: SENTENCE });
  }
}

function nextFreeName(known: ReadonlySet<string>): string {
  for (let k = 1; k <= MAX_SERVERS * 4; k++) if (!known.has(`server${k}`)) return `server${k}`;
  return `server${MAX_SERVERS * 4 + 1}`;
}

export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ScenarioPhase = ParsedScenario['phases'][number];
export type ScenarioLab = ParsedScenario['lab'];
export type ScenarioThresholds = ParsedScenario['thresholds'];

/** A validated scenario, with its name filled in and where it came from. */
export interface Scenario extends Omit<ParsedScenario, 'name'> {
  readonly name: string;
  /** The file as the user named it (or the built-in's path), for messages. */
  readonly source: string;
}
