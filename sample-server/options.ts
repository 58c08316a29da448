import { parseArgs } from 'node:util';

import { TOKEN_ENV, adminTokenProblem } from '../balancer/config/admin-token.js';
import { SampleServerError, invalidValue, showValue } from './errors.js';
import { NO_FAULT, parseBoolean, parseConcurrency, parseErrorRate, parseLatencyMs, type FaultState } from './fault.js';

export const SAMPLE_APPS = ['factorial', 'greeting'] as const;
export type SampleApp = (typeof SAMPLE_APPS)[number];

export interface SampleServerOptions {
  /** Sent in X-Server-Id and in every body. */
  readonly name: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** What GET / serves. */
  readonly app: SampleApp;
  /** The only username /register and /changePassword accept. */
  readonly username: string;
  /** Fault in force at start; changed later through /_lab/fault. */
  readonly fault: FaultState;
  /** Log one line per request (off by default: too chatty for 10k-request runs). */
  readonly logRequests: boolean;
  /** The lab's token (env LBLAB_TOKEN only): every /_lab/* request must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
}

export interface ParseSampleServerOptionsContext {
  /** Default name; main passes os.hostname(). */
  readonly hostname: string;
}

type Env = Readonly<Record<string, string | undefined>>;

interface FlagSpec {
  readonly flag: string;
  readonly env: string;
  /** Boolean flags take no value: `--hang`, or `--hang=false`. */
  readonly boolean: boolean;
  readonly expected: string;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const NAME_EXPECTED = '1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit';
const USERNAME_PATTERN = /^\S{1,64}$/;
const USERNAME_EXPECTED = '1 to 64 characters without spaces';
const HOST_PATTERN = /^\S+$/;
const HOST_EXPECTED = 'a host name or IP address';
const PORT_EXPECTED = 'an integer from 0 to 65535';
const APP_EXPECTED = 'factorial or greeting';

const FLAGS = [
  { flag: '--name', env: 'LBLAB_SERVER_NAME', boolean: false, expected: NAME_EXPECTED },
  { flag: '--port', env: 'LBLAB_PORT', boolean: false, expected: PORT_EXPECTED },
  { flag: '--host', env: 'LBLAB_HOST', boolean: false, expected: HOST_EXPECTED },
  { flag: '--app', env: 'LBLAB_APP', boolean: false, expected: APP_EXPECTED },
  { flag: '--username', env: 'LBLAB_USERNAME', boolean: false, expected: USERNAME_EXPECTED },
  { flag: '--error-rate', env: 'LBLAB_FAULT_ERROR_RATE', boolean: false, expected: 'a number from 0 to 1' },
  { flag: '--latency', env: 'LBLAB_FAULT_LATENCY_MS', boolean: false, expected: 'milliseconds such as 200 or 100-300' },
  { flag: '--hang', env: 'LBLAB_FAULT_HANG', boolean: true, expected: 'true or false' },
  { flag: '--health-too', env: 'LBLAB_FAULT_HEALTH_TOO', boolean: true, expected: 'true or false' },
  { flag: '--concurrency', env: 'LBLAB_CONCURRENCY', boolean: false, expected: 'an integer from 0 (no limit) to 10000' },
  { flag: '--log-requests', env: 'LBLAB_LOG_REQUESTS', boolean: true, expected: 'true or false' },
] as const satisfies readonly FlagSpec[];

type Flag = (typeof FLAGS)[number]['flag'];

/** A raw value and where it came from (`--port` or `LBLAB_PORT`), for messages. */
interface RawValue {
  readonly value: string;
  readonly field: string;
}

export const SAMPLE_SERVER_USAGE = `Usage: sample-server [flags]   (each flag also reads the env variable shown; flags win)
  --name <name>          LBLAB_SERVER_NAME       server name in X-Server-Id and bodies (default: hostname)
  --port <port>          LBLAB_PORT              port, 0 = any free port (default: 3000)
  --host <host>          LBLAB_HOST              address to bind (default: 0.0.0.0)
  --app <app>            LBLAB_APP               factorial | greeting: what GET / serves (default: factorial)
  --username <user>      LBLAB_USERNAME          username /register and /changePassword accept (default: name)
  --error-rate <0..1>    LBLAB_FAULT_ERROR_RATE  share of requests answered with an injected 500
  --latency <ms>         LBLAB_FAULT_LATENCY_MS  added latency: 200 or 100-300
  --hang                 LBLAB_FAULT_HANG        read requests but never answer
  --health-too           LBLAB_FAULT_HEALTH_TOO  apply the error rate to /health as well
  --concurrency <n>      LBLAB_CONCURRENCY       workers: at most n requests in service (latency + answer) at once,
                                                 the rest wait in a FIFO queue; /health skips it (default: 0, no limit)
  --log-requests         LBLAB_LOG_REQUESTS      log one line per request
Runtime faults: GET|POST|DELETE /_lab/fault; stats: GET /_lab/stats.
  env ${TOKEN_ENV} (no flag: argv is visible to every user)  the lab's token; /_lab/* then needs Authorization: Bearer <token>`;

function findFlag(name: string): FlagSpec | undefined {
  return FLAGS.find((spec) => spec.flag === name);
}

/** parseArgs' option table: value flags take a string; boolean ones none, or an inline `=false`. */
const PARSE_ARGS_OPTIONS = Object.fromEntries(
  FLAGS.map((spec) => [spec.flag.slice(2), { type: spec.boolean ? ('boolean' as const) : ('string' as const) }]),
);

function unknownFlag(name: string): SampleServerError {
  return new SampleServerError(
    'LBLAB_BAD_INPUT',
    name,
    `Unknown flag ${name}: expected one of ${FLAGS.map((candidate) => candidate.flag).join(', ')}`,
  );
}

/**
 * Flags (node:util parseArgs, non-strict so every message stays ours) over
 * env variables. `--port --name x` is a missing value for --port, as a value
 * never starts with `--`.
 */
function collectRawValues(argv: readonly string[], env: Env): Map<Flag, RawValue> {
  const raw = new Map<Flag, RawValue>();
  for (const spec of FLAGS) {
    const value = env[spec.env];
    // Empty env variables count as unset (compose files often leave them blank).
    if (value !== undefined && value !== '') raw.set(spec.flag, { value, field: spec.env });
  }
  const { tokens } = parseArgs({ args: [...argv], options: PARSE_ARGS_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'option-terminator') throw unknownFlag('--');
    const text = argv[token.index] ?? '';
    if (token.kind === 'positional' || !token.rawName.startsWith('--')) {
      throw new SampleServerError('LBLAB_BAD_INPUT', text, `Unexpected argument ${showValue(text)}: expected flags such as --name server1`);
    }
    const spec = findFlag(token.rawName);
    if (spec === undefined) throw unknownFlag(token.rawName);
    let value: string;
    if (spec.boolean) {
      value = token.value ?? 'true';
    } else if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new SampleServerError('LBLAB_BAD_INPUT', spec.flag, `Missing value for ${spec.flag}: expected ${spec.expected}`);
    } else {
      value = token.value;
    }
    raw.set(spec.flag as Flag, { value, field: spec.flag });
  }
  return raw;
}

function parseMatching(raw: RawValue, pattern: RegExp, expected: string): string {
  if (!pattern.test(raw.value)) throw invalidValue(raw.field, raw.value, expected);
  return raw.value;
}

function parsePort(raw: RawValue): number {
  const port = /^\d{1,5}$/.test(raw.value) ? Number(raw.value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw invalidValue(raw.field, raw.value, PORT_EXPECTED);
  return port;
}

function parseApp(raw: RawValue): SampleApp {
  const app = SAMPLE_APPS.find((candidate) => candidate === raw.value);
  if (app === undefined) throw invalidValue(raw.field, raw.value, APP_EXPECTED);
  return app;
}

/**
 * Reads flags and env variables (flags win) into options. Pure: throws a
 * SampleServerError (code LBLAB_BAD_INPUT) naming the flag or variable, the
 * value and what was expected. `--help` is not handled here.
 */
export function parseSampleServerOptions(
  argv: readonly string[],
  env: Env,
  context: ParseSampleServerOptionsContext,
): SampleServerOptions {
  const raw = collectRawValues(argv, env);
  const name = parseMatching(raw.get('--name') ?? { value: context.hostname, field: 'hostname' }, NAME_PATTERN, NAME_EXPECTED);
  const port = parsePort(raw.get('--port') ?? { value: '3000', field: '--port' });
  const host = parseMatching(raw.get('--host') ?? { value: '0.0.0.0', field: '--host' }, HOST_PATTERN, HOST_EXPECTED);
  const app = parseApp(raw.get('--app') ?? { value: 'factorial', field: '--app' });
  const usernameRaw = raw.get('--username');
  const username = usernameRaw === undefined ? name : parseMatching(usernameRaw, USERNAME_PATTERN, USERNAME_EXPECTED);

  const errorRate = raw.get('--error-rate');
  const latency = raw.get('--latency');
  const hang = raw.get('--hang');
  const healthToo = raw.get('--health-too');
  const concurrency = raw.get('--concurrency');
  const logRequests = raw.get('--log-requests');
  const fault: FaultState = {
    errorRate: errorRate === undefined ? NO_FAULT.errorRate : parseErrorRate(errorRate.value, errorRate.field),
    latencyMs: latency === undefined ? NO_FAULT.latencyMs : parseLatencyMs(latency.value, latency.field),
    hang: hang === undefined ? NO_FAULT.hang : parseBoolean(hang.value, hang.field),
    healthToo: healthToo === undefined ? NO_FAULT.healthToo : parseBoolean(healthToo.value, healthToo.field),
    concurrency: concurrency === undefined ? NO_FAULT.concurrency : parseConcurrency(concurrency.value, concurrency.field),
  };
  const token = parseToken(env);
  return {
    name,
    host,
    port,
    app,
    username,
    fault,
    logRequests: logRequests === undefined ? false : parseBoolean(logRequests.value, logRequests.field),
    ...(token === undefined ? {} : { token }),
  };
}

/** LBLAB_TOKEN when present; set but unusable (empty, short, spaces) is an error, never an open server. */
function parseToken(env: Env): string | undefined {
  const value = env[TOKEN_ENV];
  if (value === undefined) return undefined;
  const problem = adminTokenProblem(value);
  if (problem !== undefined) throw new SampleServerError('LBLAB_BAD_INPUT', TOKEN_ENV, problem);
  return value;
}
