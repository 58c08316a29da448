// Turns untrusted JSON (a --config file or LBLAB_BALANCER_CONFIG) into a
// BalancerConfig: merged over DEFAULT_CONFIG (deep for `health`), every field
// checked. Pure: no I/O, throws InvalidFieldError with an exact message.
import { ALGORITHM_NAMES, type AlgorithmName, type AlgorithmOptions } from '../algorithms/algorithm.js';
import { createAlgorithm, DEFAULT_VIRTUAL_NODES, isAlgorithmError, isAlgorithmName } from '../algorithms/index.js';
import { isPrime } from '../algorithms/maglev.js';
import { parseBackendSpec, urlFromTemplate, expectServerUrl } from '../upstreams/backend-spec.js';
import {
  DEFAULT_CONFIG,
  DEFAULT_FANOUT,
  DEFAULT_HEALTH,
  DEFAULT_OUTLIER,
  DEFAULT_RETRIES,
  type BackendSpec,
  type BalancerConfig,
  type HealthCheckOptions,
} from './config.js';
import {
  expectBoolean,
  expectBoundedArray,
  expectBoundedString,
  expectObject,
  expectPort,
  expectWithin,
  fail,
} from './field-validators.js';
import { InvalidFieldError } from './invalid-field-error.js';
import { LIMITS, ringPointsProblem } from './limits.js';
import { parseFanout, parseOutlier, parseRetries } from './resilience-parse.js';
import { checkTcpAlgorithm } from '../tcp/tcp-algorithms.js';
import { parseHealthCheckKind, parseMode, withDefaultCheck } from './mode-parse.js';
import { unknownFieldWarnings } from './unknown-fields.js';
import { parseWorkers, workerCount } from './workers-parse.js';

export interface ParsedBalancerConfig {
  readonly config: BalancerConfig;
  /** Fields that were ignored, e.g. `config.retry is not a known field and is ignored; fields: ...`. */
  readonly warnings: readonly string[];
}

const CONFIG_FIELDS = [
  'host',
  'port',
  'adminHost',
  'adminPort',
  'algorithm',
  'algorithmOptions',
  'hashKeyParam',
  'servers',
  'health',
  'upstreamTimeoutMs',
  'queueTimeoutMs',
  'queueMaxLength',
  'connectTimeoutMs',
  'shutdownSessions',
  'maxConnections',
  'serverUrlTemplate',
  'fanout',
  'retries',
  'outlier',
  'mode',
  'seedApi',
  'workers',
] as const;
const HEALTH_FIELDS = ['enabled', 'path', 'intervalMs', 'timeoutMs', 'fall', 'rise', 'fastIntervalMs', 'downIntervalMs', 'check'] as const;
const ALGORITHM_OPTION_FIELDS = ['virtualNodes', 'boundedLoad', 'capacity', 'tableSize'] as const;

const NO_RANDOMNESS = { random: () => 0.5, now: () => 0 };

/**
 * Parses `input` as a balancer config. Unknown fields are reported in
 * `warnings` (the CLI may pass settings a newer balancer understands);
 * wrong values throw InvalidFieldError.
 */
export function parseBalancerConfig(input: unknown): ParsedBalancerConfig {
  const raw = expectObject('config', input);
  const warnings = unknownFieldWarnings('config', raw, CONFIG_FIELDS);

  const host = raw.host === undefined ? DEFAULT_CONFIG.host : expectBoundedString('config.host', raw.host, LIMITS.nameLength);
  const port = raw.port === undefined ? DEFAULT_CONFIG.port : expectPort('config.port', raw.port);
  const adminHost = raw.adminHost === undefined ? host : expectBoundedString('config.adminHost', raw.adminHost, LIMITS.nameLength);
  const defaultAdminPort = raw.port === undefined ? DEFAULT_CONFIG.adminPort : port === 0 ? 0 : port + 1;
  const adminPort = raw.adminPort === undefined ? defaultAdminPort : expectPort('config.adminPort', raw.adminPort);
  if (adminPort !== 0 && adminPort === port && adminHost === host) {
    throw new InvalidFieldError('config.adminPort', `config.adminPort must differ from config.port, got ${adminPort} for both`);
  }
  if (adminPort > 65_535) fail('config.adminPort', 'an integer from 0 to 65535 (it defaults to config.port + 1)', adminPort);

  const algorithm = raw.algorithm === undefined ? DEFAULT_CONFIG.algorithm : parseAlgorithm('config.algorithm', raw.algorithm);
  const algorithmOptions =
    raw.algorithmOptions === undefined
      ? DEFAULT_CONFIG.algorithmOptions
      : parseAlgorithmOptions('config.algorithmOptions', raw.algorithmOptions, warnings);
  checkAlgorithmOptions('config.algorithmOptions', algorithm, algorithmOptions);
  const mode = raw.mode === undefined ? 'http' : parseMode('config.mode', raw.mode);
  if (mode === 'tcp') checkTcpAlgorithm('config.algorithm', algorithm);

  const hashKeyParam =
    raw.hashKeyParam === undefined ? DEFAULT_CONFIG.hashKeyParam : expectBoundedString('config.hashKeyParam', raw.hashKeyParam, LIMITS.nameLength);
  const servers = raw.servers === undefined ? DEFAULT_CONFIG.servers : parseServers('config.servers', raw.servers);
  checkRingPoints('config.servers', algorithm, servers.length, algorithmOptions);
  const health = withDefaultCheck(
    raw.health === undefined ? DEFAULT_HEALTH : parseHealth('config.health', raw.health, warnings),
    mode,
  );
  const upstreamTimeoutMs =
    raw.upstreamTimeoutMs === undefined
      ? DEFAULT_CONFIG.upstreamTimeoutMs
      : expectWithin('config.upstreamTimeoutMs', raw.upstreamTimeoutMs, LIMITS.upstreamTimeoutMs);
  const queueTimeoutMs =
    raw.queueTimeoutMs === undefined ? DEFAULT_CONFIG.queueTimeoutMs : expectWithin('config.queueTimeoutMs', raw.queueTimeoutMs, LIMITS.queueTimeoutMs);
  const queueMaxLength =
    raw.queueMaxLength === undefined ? DEFAULT_CONFIG.queueMaxLength : expectWithin('config.queueMaxLength', raw.queueMaxLength, LIMITS.queueMaxLength);

  const connectTimeoutMs =
    raw.connectTimeoutMs === undefined
      ? DEFAULT_CONFIG.connectTimeoutMs
      : expectWithin('config.connectTimeoutMs', raw.connectTimeoutMs, LIMITS.connectTimeoutMs);
  const shutdownSessions =
    raw.shutdownSessions === undefined ? DEFAULT_CONFIG.shutdownSessions : expectBoolean('config.shutdownSessions', raw.shutdownSessions);
  const maxConnections =
    raw.maxConnections === undefined ? DEFAULT_CONFIG.maxConnections : expectWithin('config.maxConnections', raw.maxConnections, LIMITS.maxConnections);

  const fanout = raw.fanout === undefined ? DEFAULT_FANOUT : parseFanout('config.fanout', raw.fanout, DEFAULT_FANOUT, warnings);
  const retries = raw.retries === undefined ? DEFAULT_RETRIES : parseRetries('config.retries', raw.retries, DEFAULT_RETRIES, warnings);
  const outlier = raw.outlier === undefined ? DEFAULT_OUTLIER : parseOutlier('config.outlier', raw.outlier, DEFAULT_OUTLIER, warnings);

  const workers = raw.workers === undefined ? undefined : parseWorkers('config.workers', raw.workers);
  if (workers !== undefined && workerCount(workers) > 1 && raw.seedApi === true) {
    // The seed routes on the data port would change the one worker that took the request.
    throw new InvalidFieldError('config.workers', `config.seedApi cannot be used with config.workers above 1, got ${JSON.stringify(workers)} workers`);
  }

  const config: BalancerConfig = {
    ...(mode === 'tcp' ? { mode } : {}),
    host,
    port,
    adminHost,
    adminPort,
    algorithm,
    algorithmOptions,
    hashKeyParam,
    servers,
    health,
    upstreamTimeoutMs,
    queueTimeoutMs,
    ...(queueMaxLength === undefined ? {} : { queueMaxLength }),
    ...(connectTimeoutMs === undefined ? {} : { connectTimeoutMs }),
    ...(shutdownSessions === undefined ? {} : { shutdownSessions }),
    ...(raw.seedApi === undefined ? {} : { seedApi: expectBoolean('config.seedApi', raw.seedApi) }),
    ...(maxConnections === undefined ? {} : { maxConnections }),
    ...(workers === undefined ? {} : { workers }),
    ...(raw.serverUrlTemplate === undefined ? {} : { serverUrlTemplate: parseTemplate('config.serverUrlTemplate', raw.serverUrlTemplate) }),
    fanout,
    retries,
    outlier,
  };
  return { config, warnings };
}

export function parseAlgorithm(field: string, value: unknown): AlgorithmName {
  if (typeof value !== 'string' || !isAlgorithmName(value)) fail(field, `one of ${ALGORITHM_NAMES.join(', ')}`, value);
  return value;
}

/** Range checks for the known options (limits.ts); unknown ones are dropped with a warning (the admin API refuses them). */
export function parseAlgorithmOptions(field: string, value: unknown, warnings: string[]): AlgorithmOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, ALGORITHM_OPTION_FIELDS));
  const options: { -readonly [K in keyof AlgorithmOptions]: AlgorithmOptions[K] } = {};
  if (raw.virtualNodes !== undefined) options.virtualNodes = expectWithin(`${field}.virtualNodes`, raw.virtualNodes, LIMITS.virtualNodes);
  if (raw.boundedLoad !== undefined) {
    const { max } = LIMITS.boundedLoad;
    if (typeof raw.boundedLoad !== 'number' || !(raw.boundedLoad > 1 && raw.boundedLoad <= max)) {
      fail(`${field}.boundedLoad`, `a number greater than 1 and at most ${max}`, raw.boundedLoad);
    }
    options.boundedLoad = raw.boundedLoad;
  }
  if (raw.capacity !== undefined) options.capacity = expectWithin(`${field}.capacity`, raw.capacity, LIMITS.capacity);
  if (raw.tableSize !== undefined) {
    const tableSize = expectWithin(`${field}.tableSize`, raw.tableSize, LIMITS.tableSize);
    if (!isPrime(tableSize)) fail(`${field}.tableSize`, `a prime number from ${LIMITS.tableSize.min} to ${LIMITS.tableSize.max} (e.g. 65537)`, tableSize);
    options.tableSize = tableSize;
  }
  return options;
}

/** consistent-hash: servers x virtualNodes must stay within LIMITS.ringPoints, so a ring rebuild stays a few ms. */
export function checkRingPoints(field: string, algorithm: AlgorithmName, servers: number, options: AlgorithmOptions): void {
  if (algorithm !== 'consistent-hash') return;
  const problem = ringPointsProblem(servers, options.virtualNodes ?? DEFAULT_VIRTUAL_NODES);
  if (problem !== undefined) throw new InvalidFieldError(field, `${field}: ${problem}`);
}

/** Builds the algorithm once, so options it rejects (a table size that is not prime) fail here. */
export function checkAlgorithmOptions(field: string, algorithm: AlgorithmName, options: AlgorithmOptions): void {
  try {
    createAlgorithm(algorithm, NO_RANDOMNESS, options);
  } catch (error) {
    if (isAlgorithmError(error)) throw new InvalidFieldError(field, `${field} is invalid: ${error.message}`);
    throw error;
  }
}

function parseServers(field: string, value: unknown): readonly BackendSpec[] {
  const items = expectBoundedArray(field, value, LIMITS.servers, 'an array of {"name","url","weight"} objects');
  const seen = new Set<string>();
  return items.map((item: unknown, index) => {
    const spec = parseBackendSpec(`${field}[${index}]`, item);
    if (seen.has(spec.name)) {
      throw new InvalidFieldError(`${field}[${index}].name`, `${field}[${index}].name repeats the server name "${spec.name}"`);
    }
    seen.add(spec.name);
    return spec;
  });
}

function parseHealth(field: string, value: unknown, warnings: string[]): HealthCheckOptions {
  const raw = expectObject(field, value);
  warnings.push(...unknownFieldWarnings(field, raw, HEALTH_FIELDS));
  const path = raw.path === undefined ? DEFAULT_HEALTH.path : raw.path;
  if (typeof path !== 'string' || !path.startsWith('/') || /[\s?#]/.test(path)) {
    fail(`${field}.path`, 'a path starting with "/" (no spaces, query or fragment)', path);
  }
  expectBoundedString(`${field}.path`, path, LIMITS.pathLength);
  const interval = (name: 'intervalMs' | 'fastIntervalMs' | 'downIntervalMs', value: unknown): number =>
    expectWithin(`${field}.${name}`, value, LIMITS.healthIntervalMs);
  return {
    enabled: raw.enabled === undefined ? DEFAULT_HEALTH.enabled : expectBoolean(`${field}.enabled`, raw.enabled),
    ...(raw.check === undefined ? {} : { check: parseHealthCheckKind(`${field}.check`, raw.check) }),
    path,
    intervalMs: raw.intervalMs === undefined ? DEFAULT_HEALTH.intervalMs : interval('intervalMs', raw.intervalMs),
    timeoutMs: raw.timeoutMs === undefined ? DEFAULT_HEALTH.timeoutMs : expectWithin(`${field}.timeoutMs`, raw.timeoutMs, LIMITS.healthTimeoutMs),
    fall: raw.fall === undefined ? DEFAULT_HEALTH.fall : expectWithin(`${field}.fall`, raw.fall, LIMITS.healthThreshold),
    rise: raw.rise === undefined ? DEFAULT_HEALTH.rise : expectWithin(`${field}.rise`, raw.rise, LIMITS.healthThreshold),
    ...(raw.fastIntervalMs === undefined ? {} : { fastIntervalMs: interval('fastIntervalMs', raw.fastIntervalMs) }),
    ...(raw.downIntervalMs === undefined ? {} : { downIntervalMs: interval('downIntervalMs', raw.downIntervalMs) }),
  };
}

function parseTemplate(field: string, value: unknown): string {
  if (typeof value !== 'string' || !value.includes('{name}')) fail(field, 'a URL containing "{name}"', value);
  expectBoundedString(field, value, LIMITS.urlLength);
  try {
    expectServerUrl(field, urlFromTemplate(value, 'server1'));
  } catch {
    fail(field, 'an http:// or https:// URL containing "{name}"', value);
  }
  return value;
}
