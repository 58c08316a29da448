// The scenario file format (documented in scenarios/README.md). Parsing gives
// a normalised Scenario: durations in milliseconds, defaults applied, action
// targets in one shape per action.
import * as z from 'zod';
import { ALGORITHM_NAMES } from '../../balancer/algorithms/algorithm.js';
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
  SENTENCE,
  serverName,
  serverNames,
  shareNumber,
  thresholdValue,
} from './schema-fields.js';

export const SCENARIO_ACTIONS = ['kill', 'revive', 'pause', 'unpause', 'add', 'rm', 'fault', 'algorithm'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const MAX_SERVERS = 64;
const MAX_REQUESTS = 100_000_000;
const MAX_CONCURRENCY = 10_000;
const MAX_RATE_PER_SEC = 1_000_000;

/**
 * Balancer settings that lblab itself sets (from the rest of the scenario or
 * the command line); `lab.balancer` may not override them.
 */
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

const faultSchema = mapping(
  {
    errorRate: shareNumber().optional(),
    latencyMs: latencySpec().optional(),
    hang: boolean().optional(),
  },
  'a mapping of errorRate, latencyMs and hang',
);

const healthSchema = mapping(
  {
    enabled: boolean().optional(),
    path: z.string({ error: 'a path starting with "/"' }).startsWith('/', { error: 'a path starting with "/"' }).optional(),
    intervalMs: positiveDuration().optional(),
    timeoutMs: positiveDuration().optional(),
    fall: integer(1, 100).optional(),
    rise: integer(1, 100).optional(),
  },
  'a mapping of enabled, path, intervalMs, timeoutMs, fall and rise',
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
 * OPEN ON PURPOSE: `lab.balancer` holds balancer settings passed through to the
 * balancer as they are (retries, fan-out routes, timeouts...). They are not
 * checked here yet, only kept from overriding what lblab sets. Tighten this
 * schema once issue 4 (fan-out, retries, passive ejection) settles the shapes.
 */
const balancerSettingsSchema = z
  .record(z.string(), z.unknown(), { error: 'a mapping of balancer settings (e.g. retries, fanout)' })
  .superRefine((settings, ctx) => {
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
    runtime: choice(['auto', 'docker', 'process']).optional(),
    health: healthSchema.optional(),
    faults: z.record(serverName(), faultSchema, { error: 'a mapping of server names to faults' }).optional(),
    balancer: balancerSettingsSchema.optional(),
  },
  'a mapping of servers, app, algorithm, algorithmOptions, runtime, health, faults and balancer',
);

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
const OPEN_FIELDS = ['rate', 'duration', 'maxInFlight'] as const;

const phaseSchema = mapping(
  {
    name: z.string({ error: 'a text' }).min(1, { error: 'a non-empty text' }).optional(),
    kind: choice(['closed', 'open']),
    requests: integer(1, MAX_REQUESTS).optional(),
    concurrency: integer(1, MAX_CONCURRENCY).optional(),
    rate: positiveNumber(MAX_RATE_PER_SEC).optional(),
    duration: positiveDuration().optional(),
    maxInFlight: integer(1, MAX_CONCURRENCY * 10).optional(),
    path: z.string({ error: 'a path starting with "/"' }).startsWith('/', { error: 'a path starting with "/"' }).default('/'),
    method: methodSchema.default('GET'),
    body: z
      .custom<string | object>((value) => typeof value === 'string' || (typeof value === 'object' && value !== null), {
        error: 'a text, or a mapping or list (sent as JSON)',
      })
      .optional(),
    headers: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean()], { error: 'a text' }).transform((value) => String(value)),
        { error: 'a mapping of header names to values' },
      )
      .optional(),
    keys: keysSchema.optional(),
    timeout: positiveDuration().optional(),
  },
  'a mapping with kind (closed or open) and its fields',
).superRefine((phase, ctx) => {
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
    clear: boolean().optional(),
  },
  'a mapping like {server: server2, errorRate: 0.3, latencyMs: 200ms} or {server: server2, clear: true}',
).superRefine((target, ctx) => {
  const hasFault = target.errorRate !== undefined || target.latencyMs !== undefined || target.hang !== undefined;
  if (target.clear === true && hasFault) {
    ctx.addIssue({ code: 'custom', path: ['clear'], message: 'cannot be combined with errorRate, latencyMs or hang', params: SENTENCE });
  } else if (target.clear !== true && !hasFault) {
    ctx.addIssue({ code: 'custom', path: [], message: 'needs errorRate, latencyMs, hang or clear: true', params: SENTENCE });
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
  },
  'a mapping with name, description, lab, phases, actions and thresholds',
).superRefine((scenario, ctx) => {
  const initial = Array.from({ length: scenario.lab.servers }, (_, i) => `server${i + 1}`);
  for (const name of Object.keys(scenario.lab.faults ?? {})) {
    if (!initial.includes(name)) {
      ctx.addIssue({ code: 'custom', path: ['lab', 'faults', name], message: `names no server of the lab; servers: ${initial.join(', ')}`, params: SENTENCE });
    }
  }
  checkActionServers(scenario.actions, initial, ctx);
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
