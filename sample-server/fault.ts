import { LIMITS } from '../balancer/config/limits.js';
import { SampleServerError, invalidValue, showValue } from './errors.js';

export const MAX_LATENCY_MS = LIMITS.faultLatencyMs.max;
export const MAX_CONCURRENCY = LIMITS.serverConcurrency.max;
/** `100ms - 300ms` and the like are short; a longer string is refused before any pattern runs on it. */
const MAX_LATENCY_TEXT_LENGTH = 32;

/** Inclusive range; `{ minMs: 0, maxMs: 0 }` means no added latency. */
export interface LatencyRangeMs {
  readonly minMs: number;
  readonly maxMs: number;
}

export interface FaultState {
  /** Probability 0..1 that a request gets an injected 500. */
  readonly errorRate: number;
  /** Wait before answering, drawn uniformly (whole ms) from the range. */
  readonly latencyMs: LatencyRangeMs;
  /** Read requests but never answer them. */
  readonly hang: boolean;
  /**
   * Whether /health is also subject to the error rate. Off by default: the
   * error rate is meant for testing passive ejection (the balancer noticing
   * failed traffic) while active checks still see the server as up. Hang and
   * latency always apply to /health.
   */
  readonly healthToo: boolean;
  /**
   * Workers: at most this many requests are in service (the latency wait and
   * the answer) at once, the rest wait in a FIFO queue inside the server; 0 =
   * no limit. With it a server has a capacity (workers / mean latency) that
   * does not depend on the machine's CPUs, as sleeps cost none. /health skips
   * the queue (think of a separate health thread), so an overloaded server
   * stays up to the checks and its queue shows in the clients' latency.
   */
  readonly concurrency: number;
}

export type FaultPatch = Partial<FaultState>;

/** The wire form used by /_lab/fault: latencyMs is a number (0 = none) or [min, max]. */
export interface FaultJson {
  readonly errorRate: number;
  readonly latencyMs: number | readonly [number, number];
  readonly hang: boolean;
  readonly healthToo: boolean;
  readonly concurrency: number;
}

export const NO_FAULT: FaultState = {
  errorRate: 0,
  latencyMs: { minMs: 0, maxMs: 0 },
  hang: false,
  healthToo: false,
  concurrency: 0,
};

export const FAULT_FIELDS = ['errorRate', 'latencyMs', 'hang', 'healthToo', 'concurrency'] as const;

const ERROR_RATE_EXPECTED = 'a number from 0 to 1';
const LATENCY_EXPECTED = `an integer number of milliseconds from 0 to ${MAX_LATENCY_MS}, a [min, max] pair or a "min-max" string, with min <= max`;
const BOOLEAN_EXPECTED = 'true or false';
const CONCURRENCY_EXPECTED = `an integer from 0 (no limit) to ${MAX_CONCURRENCY}`;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value.trim());
  return undefined;
}

/** Accepts a number, or a numeric string when `strings` (flags and env). `field` names the input in the error. */
export function parseErrorRate(value: unknown, field: string, strings = true): number {
  const rate = strings || typeof value === 'number' ? toNumber(value) : undefined;
  if (rate === undefined || !Number.isFinite(rate) || rate < LIMITS.faultErrorRate.min || rate > LIMITS.faultErrorRate.max) {
    throw invalidValue(field, value, ERROR_RATE_EXPECTED);
  }
  return rate;
}

/** Workers (0 = no limit). Accepts a number, or a numeric string when `strings` (flags and env). */
export function parseConcurrency(value: unknown, field: string, strings = true): number {
  const text = typeof value === 'string' ? value.trim() : undefined;
  const workers = typeof value === 'number' ? value : strings && text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined;
  if (workers === undefined || !Number.isInteger(workers) || workers < 0 || workers > MAX_CONCURRENCY) {
    throw invalidValue(field, value, CONCURRENCY_EXPECTED);
  }
  return workers;
}

function isLatencyMs(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_LATENCY_MS;
}

const LATENCY_TEXT = /^(\d+)\s*(?:ms)?(?:\s*-\s*(\d+)\s*(?:ms)?)?$/;

/**
 * Accepts `200`, `[100, 300]`, `"200"`, `"200ms"`, `"100-300"`, `"100ms-300ms"`;
 * `0` and `null` mean no latency.
 */
export function parseLatencyMs(value: unknown, field: string): LatencyRangeMs {
  let minMs: number | undefined;
  let maxMs: number | undefined;
  if (value === null) {
    minMs = 0;
    maxMs = 0;
  } else if (typeof value === 'number') {
    minMs = value;
    maxMs = value;
  } else if (Array.isArray(value) && value.length === 2 && value.every((item) => typeof item === 'number')) {
    minMs = value[0] as number;
    maxMs = value[1] as number;
  } else if (typeof value === 'string' && value.length <= MAX_LATENCY_TEXT_LENGTH) {
    const match = LATENCY_TEXT.exec(value.trim());
    if (match?.[1] !== undefined) {
      minMs = Number(match[1]);
      maxMs = match[2] === undefined ? minMs : Number(match[2]);
    }
  }
  if (minMs === undefined || maxMs === undefined || !isLatencyMs(minMs) || !isLatencyMs(maxMs) || minMs > maxMs) {
    throw invalidValue(field, value, LATENCY_EXPECTED);
  }
  return { minMs, maxMs };
}

/** Accepts booleans, and when `strings` (env and flags) the strings true/false, 1/0, yes/no (any case). */
export function parseBoolean(value: unknown, field: string, strings = true): boolean {
  if (typeof value === 'boolean') return value;
  if (strings && typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === '1' || text === 'yes') return true;
    if (text === 'false' || text === '0' || text === 'no') return false;
  }
  throw invalidValue(field, value, BOOLEAN_EXPECTED);
}

function isFaultField(key: string): key is (typeof FAULT_FIELDS)[number] {
  return (FAULT_FIELDS as readonly string[]).includes(key);
}

/** Validates a POST /_lab/fault body (JSON: numbers are numbers, booleans are booleans). Fields left out are not changed. */
export function parseFaultPatch(body: unknown): FaultPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SampleServerError(
      'LBLAB_BAD_INPUT',
      'body',
      `Invalid fault body ${showValue(body)}: expected a JSON object with errorRate, latencyMs, hang, healthToo or concurrency`,
    );
  }
  const patch: { -readonly [K in keyof FaultState]?: FaultState[K] } = {};
  for (const [key, value] of Object.entries(body)) {
    if (!isFaultField(key)) {
      throw new SampleServerError(
        'LBLAB_BAD_INPUT',
        key,
        `Unknown fault field ${showValue(key)}: expected errorRate, latencyMs, hang, healthToo or concurrency`,
      );
    }
    switch (key) {
      case 'errorRate':
        patch.errorRate = parseErrorRate(value, key, false);
        break;
      case 'latencyMs':
        patch.latencyMs = parseLatencyMs(value, key);
        break;
      case 'hang':
        patch.hang = parseBoolean(value, key, false);
        break;
      case 'healthToo':
        patch.healthToo = parseBoolean(value, key, false);
        break;
      case 'concurrency':
        patch.concurrency = parseConcurrency(value, key, false);
        break;
    }
  }
  return patch;
}

export function applyFaultPatch(fault: FaultState, patch: FaultPatch): FaultState {
  return { ...fault, ...patch };
}

export function isFaultActive(fault: FaultState): boolean {
  return fault.errorRate > 0 || fault.latencyMs.maxMs > 0 || fault.hang || fault.concurrency > 0;
}

export function faultToJson(fault: FaultState): FaultJson {
  const { minMs, maxMs } = fault.latencyMs;
  return {
    errorRate: fault.errorRate,
    latencyMs: minMs === maxMs ? minMs : [minMs, maxMs],
    hang: fault.hang,
    healthToo: fault.healthToo,
    concurrency: fault.concurrency,
  };
}

/** One line for logs: `errorRate=0.3 latencyMs=100-300 hang=false healthToo=false` (and ` concurrency=4` when limited), or `none`. */
export function describeFault(fault: FaultState): string {
  if (!isFaultActive(fault) && !fault.healthToo) return 'none';
  const { minMs, maxMs } = fault.latencyMs;
  const latency = minMs === maxMs ? `${minMs}` : `${minMs}-${maxMs}`;
  const workers = fault.concurrency > 0 ? ` concurrency=${fault.concurrency}` : '';
  return `errorRate=${fault.errorRate} latencyMs=${latency} hang=${fault.hang} healthToo=${fault.healthToo}${workers}`;
}

/** A whole number of ms in [minMs, maxMs]; `random` returns [0, 1) and is not called for a fixed value. */
export function drawLatencyMs(range: LatencyRangeMs, random: () => number): number {
  if (range.minMs === range.maxMs) return range.minMs;
  return range.minMs + Math.floor(random() * (range.maxMs - range.minMs + 1));
}

/** `random` returns [0, 1), so rate 1 always fails and rate 0 never does. */
export function drawInjectedError(errorRate: number, random: () => number): boolean {
  return random() < errorRate;
}
