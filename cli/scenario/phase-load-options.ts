import type { RequestLog } from '../load/request-log.js';
import type { RequestSchedule } from '../load/schedule-file.js';
import type { LoadModel, LoadOptions } from '../load/load-options.js';
import { formatInteger } from '../report/format.js';
import { formatDurationMs } from './duration.js';
import type { ScenarioPhase } from './schema.js';

export interface PhaseLoadContext {
  /** The balancer's data URL. */
  readonly url: string;
  /** The phase's own seed (the run's seed plus the phase's index). */
  readonly seed: number;
  readonly signal?: AbortSignal;
  readonly requestLog?: RequestLog;
  /** The schedule of a replay phase, read from its file. */
  readonly schedule?: RequestSchedule;
}

export function phaseModel(phase: ScenarioPhase, schedule?: RequestSchedule): LoadModel {
  if (phase.kind === 'replay') {
    return {
      kind: 'replay',
      offsetsMs: schedule?.offsetsMs ?? [],
      paths: schedule?.paths ?? [],
      speed: phase.speed ?? 1,
      ...(phase.maxInFlight === undefined ? {} : { maxInFlight: phase.maxInFlight }),
    };
  }
  if (phase.kind === 'closed') return { kind: 'closed', requests: phase.requests ?? 1, concurrency: phase.concurrency ?? 1 };
  return {
    kind: 'open',
    ratePerSec: phase.rate ?? 1,
    durationMs: phase.duration ?? 1,
    ...(phase.maxInFlight === undefined ? {} : { maxInFlight: phase.maxInFlight }),
  };
}

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** The load generator's options for one phase. A mapping or list body is sent as JSON. */
export function phaseLoadOptions(phase: ScenarioPhase, context: PhaseLoadContext): LoadOptions {
  const headers: Record<string, string> = { ...phase.headers };
  let body: string | undefined;
  const recordedBytes = context.schedule?.bodyBytes[0] ?? 0;
  if (phase.kind === 'replay' && phase.body === undefined && recordedBytes > 0) body = 'x'.repeat(recordedBytes);
  else if (typeof phase.body === 'string') body = phase.body;
  else if (phase.body !== undefined) {
    body = JSON.stringify(phase.body);
    if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
  }
  return {
    url: context.url,
    path: phase.path,
    method: phase.kind === 'replay' && phase.method === 'GET' ? (context.schedule?.methods[0] ?? phase.method) : phase.method,
    headers,
    ...(body === undefined ? {} : { body }),
    model: phaseModel(phase, context.schedule),
    ...(phase.timeout === undefined ? {} : { timeoutMs: phase.timeout }),
    ...(phase.keys === undefined ? {} : { keys: phase.keys }),
    ...(phase.connection === undefined ? {} : { connection: phase.connection }),
    ...(phase.connections === undefined ? {} : { connections: phase.connections }),
    seed: context.seed,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(context.requestLog === undefined ? {} : { requestLog: context.requestLog }),
  };
}

/** `closed: 1,000 GET /home at concurrency 50`, `open: 200 req/s for 12s, GET /home, keys id 0..9999 (uniform)`. */
export function describePhase(phase: ScenarioPhase): string {
  const request = `${phase.method} ${phase.path}`;
  if (phase.kind === 'replay') return `replay: ${phase.file ?? ''} at speed ${phase.speed ?? 1}`;
  const load =
    phase.kind === 'closed'
      ? `closed: ${formatInteger(phase.requests ?? 0)} × ${request} at concurrency ${phase.concurrency ?? 0}`
      : `open: ${phase.rate ?? 0} req/s of ${request} for ${formatDurationMs(phase.duration ?? 0)}`;
  const keys = phase.keys === undefined ? '' : `, keys ${phase.keys.param}=0..${phase.keys.count - 1} (${phase.keys.distribution})`;
  const connection = phase.connection === 'new' ? ', a new connection per request' : '';
  return `${load}${keys}${connection}`;
}
