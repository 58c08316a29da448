import { LabError } from '../errors.js';
import type { LoadOptions, ResolvedLoadOptions } from './load-options.js';
import { seededRandom } from '../../balancer/algorithms/seeded-random.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_TICK_INTERVAL_MS = 1_000;
export const DEFAULT_MAX_IN_FLIGHT = 1_000;
export const DEFAULT_CLOSED_MAX_DURATION_MS = 600_000;

const MAX_REQUESTS = 100_000_000;
const MAX_CONCURRENCY = 10_000;
const MAX_RATE_PER_SEC = 1_000_000;
const MAX_DURATION_MS = 24 * 3_600_000;

// What undici accepts (it refuses anything else synchronously, which would wedge a connection of the pool).
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PATH_CHARACTERS = /^[\u0021-\u00ff]*$/;
const HEADER_VALUE = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;

function badOption(name: string, expected: string, received: unknown): LabError {
  return new LabError('LBLAB_BAD_INPUT', `Load option ${name} must be ${expected}, received ${JSON.stringify(received) ?? String(received)}`);
}

function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badOption(name, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function checkNumber(name: string, value: unknown, minExclusive: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= minExclusive || value > max) {
    throw badOption(name, `a number above ${minExclusive} and at most ${max}`, value);
  }
  return value;
}

/** Checks options and applies defaults. Throws LabError `LBLAB_BAD_INPUT` naming the option and the value received. */
export function resolveLoadOptions(options: LoadOptions): ResolvedLoadOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (cause) {
    throw new LabError('LBLAB_BAD_INPUT', `Load option url must be an absolute http URL, received ${JSON.stringify(options.url)}`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badOption('url', 'an http or https URL', options.url);
  }
  const path = options.path ?? '/';
  if (!path.startsWith('/')) throw badOption('path', 'a path starting with "/"', path);
  if (!PATH_CHARACTERS.test(path)) throw badOption('path', 'free of spaces and control characters (percent-encode them)', path);
  const method = (options.method ?? 'GET').toUpperCase();
  if (!HTTP_TOKEN.test(method)) throw badOption('method', 'an HTTP method name (letters, digits, ! # $ % & \' * + - . ^ _ ` | ~)', options.method);
  const headers = options.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HTTP_TOKEN.test(name)) throw badOption('headers', 'names that are HTTP tokens (letters, digits, ! # $ % & \' * + - . ^ _ ` | ~)', name);
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw badOption(`headers.${name}`, 'a string without control characters other than tab', value);
  }

  const timeoutMs = checkInteger('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, MAX_DURATION_MS);
  const tickIntervalMs = checkInteger('tickIntervalMs', options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS, 10, MAX_DURATION_MS);

  const model = options.model;
  let resolvedModel: ResolvedLoadOptions['model'];
  let defaultMaxDurationMs: number;
  let defaultConnections: number;
  if (model.kind === 'closed') {
    checkInteger('model.requests', model.requests, 1, MAX_REQUESTS);
    checkInteger('model.concurrency', model.concurrency, 1, MAX_CONCURRENCY);
    resolvedModel = model;
    defaultMaxDurationMs = DEFAULT_CLOSED_MAX_DURATION_MS;
    defaultConnections = model.concurrency;
  } else if (model.kind === 'open') {
    checkNumber('model.ratePerSec', model.ratePerSec, 0, MAX_RATE_PER_SEC);
    checkInteger('model.durationMs', model.durationMs, 1, MAX_DURATION_MS);
    const maxInFlight = checkInteger('model.maxInFlight', model.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, 1, MAX_CONCURRENCY * 10);
    resolvedModel = { kind: 'open', ratePerSec: model.ratePerSec, durationMs: model.durationMs, maxInFlight };
    defaultMaxDurationMs = model.durationMs + timeoutMs + 1_000;
    defaultConnections = Math.min(maxInFlight, 100);
  } else if (model.kind === 'replay') {
    if (!Array.isArray(model.offsetsMs) || !Array.isArray(model.paths) || model.offsetsMs.length !== model.paths.length || model.offsetsMs.length === 0) {
      throw badOption('model.offsetsMs', 'a non-empty list with one entry per path', model.offsetsMs?.length);
    }
    const speed = checkNumber('model.speed', model.speed ?? 1, 0, 1000);
    const maxInFlight = checkInteger('model.maxInFlight', model.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, 1, MAX_CONCURRENCY * 10);
    resolvedModel = { kind: 'replay', offsetsMs: model.offsetsMs, paths: model.paths, speed, maxInFlight };
    defaultMaxDurationMs = Math.ceil((model.offsetsMs.at(-1) ?? 0) / speed) + timeoutMs + 1_000;
    defaultConnections = Math.min(maxInFlight, 100);
  } else {
    throw badOption('model.kind', '"closed", "open" or "replay"', (model as { kind?: unknown }).kind);
  }

  const maxDurationMs = checkInteger('maxDurationMs', options.maxDurationMs ?? defaultMaxDurationMs, 1, MAX_DURATION_MS);
  const connections = checkInteger('connections', options.connections ?? defaultConnections, 1, MAX_CONCURRENCY);

  const keys = options.keys;
  if (keys !== undefined) {
    if (typeof keys.param !== 'string' || !/^[A-Za-z0-9_.~-]+$/.test(keys.param)) {
      throw badOption('keys.param', 'a query parameter name (letters, digits, _ . ~ -)', keys.param);
    }
    checkInteger('keys.count', keys.count, 1, Number.MAX_SAFE_INTEGER);
    if (keys.distribution !== 'uniform' && keys.distribution !== 'sequential') {
      throw badOption('keys.distribution', '"uniform" or "sequential"', keys.distribution);
    }
  }
  const connection = options.connection ?? 'keep-alive';
  if (connection !== 'keep-alive' && connection !== 'new') throw badOption('connection', '"keep-alive" or "new"', connection);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw badOption('seed', 'an integer', seed);

  return {
    origin: url.origin,
    path,
    method,
    headers,
    body: options.body,
    model: resolvedModel,
    timeoutMs,
    maxDurationMs,
    tickIntervalMs,
    keys,
    random: options.random ?? seededRandom(seed),
    connections,
    connection,
    signal: options.signal,
    ...(options.requestLog === undefined ? {} : { requestLog: options.requestLog }),
  };
}
