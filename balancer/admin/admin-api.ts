// The admin port: seed-compatible /rep, /add, /rm; /stats, /algorithm,
// /fanout, /retries, /outlier, /events, /fault/<name>, /metrics, /health.
// With config.adminToken set, every request needs it (401 before routing).
// Bodies are checked against limits.ts; unknown fields are refused. Every
// failure is JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';

import { AdminRequestError } from './admin-error.js';
import { bearerChallenge, checkBearer } from './bearer-auth.js';
import { isAlgorithmError } from '../algorithms/index.js';
import type { BalancerCore } from '../balancer-core.js';
import type { BalancerStats } from '../api-types.js';
import { checkRingPoints, parseAlgorithm, parseAlgorithmOptions } from '../config/config-parse.js';
import { describeNames, firstListed } from '../config/describe-names.js';
import { EventStreams } from './event-stream.js';
import { forwardFault } from './fault-forwarder.js';
import { expectKnownFields } from '../config/field-validators.js';
import { isInvalidFieldError } from '../config/invalid-field-error.js';
import { sendFailure, sendJson } from '../data-path/json-response.js';
import { planAdd, planRemove } from './replica-changes.js';
import { parseFanout, parseOutlier, parseRetries } from '../config/resilience-parse.js';
import { parseJsonBody, readBody, readJsonBody } from './read-json-body.js';

export interface AdminApiOptions {
  /** Interval of `: ping` comments on GET /events. */
  readonly eventPingMs?: number;
  /** Several worker processes (balancer/cluster/): /stats and /metrics sum what every worker counted. */
  readonly aggregate?: AdminAggregation;
}

export interface AdminAggregation {
  stats(): Promise<BalancerStats>;
  /** Prometheus text of the merged worker registries. */
  metricsText(): Promise<string>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export const ADMIN_ROUTES = [
  'GET /rep',
  'POST /add',
  'DELETE /rm',
  'GET /stats',
  'GET /algorithm',
  'PUT /algorithm',
  'GET /fanout',
  'PUT /fanout',
  'GET /retries',
  'PUT /retries',
  'GET /outlier',
  'PUT /outlier',
  'GET /events',
  'GET /fault/<server>',
  'POST /fault/<server>',
  'DELETE /fault/<server>',
  'GET /metrics',
  'GET /health',
] as const;

export class AdminApi {
  readonly streams: EventStreams;
  private readonly routes: ReadonlyMap<string, Handler>;

  constructor(
    private readonly core: BalancerCore,
    private readonly options: AdminApiOptions = {},
  ) {
    this.streams = new EventStreams(core.events);
    this.routes = new Map<string, Handler>([
      ['GET /rep', (_req, res) => this.replicas(res, 200)],
      ['POST /add', (req, res) => this.add(req, res)],
      ['DELETE /rm', (req, res) => this.remove(req, res)],
      ['GET /stats', async (_req, res) => sendJson(res, 200, this.options.aggregate === undefined ? this.core.stats() : await this.options.aggregate.stats())],
      ['GET /algorithm', (_req, res) => sendJson(res, 200, { algorithm: this.core.algorithm })],
      ['PUT /algorithm', (req, res) => this.setAlgorithm(req, res)],
      ['GET /fanout', (_req, res) => sendJson(res, 200, this.core.settings.fanout)],
      ['PUT /fanout', (req, res) => this.setFanout(req, res)],
      ['GET /retries', (_req, res) => sendJson(res, 200, this.core.settings.retries)],
      ['PUT /retries', (req, res) => this.setRetries(req, res)],
      ['GET /outlier', (_req, res) => sendJson(res, 200, this.core.settings.outlier)],
      ['PUT /outlier', (req, res) => this.setOutlier(req, res)],
      ['GET /events', (_req, res, url) => this.events(res, url)],
      ['GET /metrics', (_req, res) => this.metrics(res)],
      ['GET /health', (_req, res) => sendJson(res, 200, { status: 'up' })],
    ]);
  }

  /** The `request` listener of the admin server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((error: unknown) => this.sendError(res, error));
  };

  /**
   * The listener for seed 001's replica routes on the data port (config.seedApi,
   * see data-path/seed-routes.ts): no token, as the seed had none; opting in is the user's choice.
   */
  readonly handleSeedRoute = (req: IncomingMessage, res: ServerResponse): void => {
    this.dispatch(req, res).catch((error: unknown) => this.sendError(res, error));
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.authorize(req);
    await this.dispatch(req, res);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseRequestUrl(req.url ?? '/');
    const method = req.method ?? 'GET';
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path.startsWith('/fault/')) {
      if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') throw methodNotAllowed(method, path, ['GET', 'POST', 'DELETE']);
      await this.fault(req, res, method, decodePathSegment(path.slice('/fault/'.length)));
      return;
    }
    const handler = this.routes.get(`${method} ${path}`);
    if (handler !== undefined) {
      await handler(req, res, url);
      return;
    }
    const allowed = [...this.routes.keys()].filter((key) => key.endsWith(` ${path}`)).map((key) => key.split(' ')[0] ?? '');
    if (allowed.length > 0) throw methodNotAllowed(method, path, allowed);
    throw new AdminRequestError(404, `no admin route ${method} ${path}; routes: ${ADMIN_ROUTES.join(', ')}`);
  }

  /** With a token configured, every admin request (unknown routes included) must carry it. */
  private authorize(req: IncomingMessage): void {
    const token = this.core.config.adminToken;
    if (token === undefined) return;
    const verdict = checkBearer(req.headers.authorization, token);
    if (verdict === 'ok') return;
    const { message, header } = bearerChallenge(verdict, 'the admin API');
    throw new AdminRequestError(401, message, undefined, { 'www-authenticate': header });
  }

  private replicas(res: ServerResponse, status: number): void {
    sendJson(res, status, { message: this.core.replicas(), status: 'successful' });
  }

  private async add(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    const specs = planAdd(body, {
      existing: this.core.pool.names(),
      ...(this.core.config.serverUrlTemplate === undefined ? {} : { urlTemplate: this.core.config.serverUrlTemplate }),
    });
    checkRingPoints('n', this.core.algorithm, this.core.pool.names().length + specs.length, this.core.currentAlgorithmOptions);
    for (const spec of specs) this.core.addServer(spec);
    this.replicas(res, 200);
  }

  private async remove(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    const names = planRemove(body, this.core.pool.names(), this.core.context.random);
    for (const name of names) this.core.removeServer(name);
    this.replicas(res, 200);
  }

  private async setAlgorithm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = expectKnownFields('request body', await readJsonBody(req), ['algorithm', 'options']);
    const name = parseAlgorithm('algorithm', body.algorithm);
    // Options left out keep their current values (e.g. the capacity set at start).
    const options = {
      ...this.core.currentAlgorithmOptions,
      ...(body.options === undefined ? {} : strict((warnings) => parseAlgorithmOptions('options', body.options, warnings))),
    };
    checkRingPoints('options.virtualNodes', name, this.core.pool.names().length, options);
    this.core.setAlgorithm(name, options);
    sendJson(res, 200, { algorithm: this.core.algorithm });
  }

  /** PUT /fanout: the fields given replace the ones in force (`{"enabled":false}`, `{"routes":["POST /register"]}`). */
  private async setFanout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    const fanout = strict((warnings) => parseFanout('fanout', body, this.core.settings.fanout, warnings));
    this.core.setFanout(fanout);
    sendJson(res, 200, fanout);
  }

  private async setRetries(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    const retries = strict((warnings) => parseRetries('retries', body, this.core.settings.retries, warnings));
    this.core.setRetries(retries);
    sendJson(res, 200, retries);
  }

  private async setOutlier(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req);
    const outlier = strict((warnings) => parseOutlier('outlier', body, this.core.settings.outlier, warnings));
    this.core.setOutlier(outlier);
    sendJson(res, 200, outlier);
  }

  private events(res: ServerResponse, url: URL): void {
    const since = url.searchParams.get('since');
    let sinceMs: number | undefined;
    if (since !== null) {
      sinceMs = Number(since);
      if (since.trim() === '' || !Number.isInteger(sinceMs) || sinceMs < 0) {
        throw new AdminRequestError(400, `since must be a time in epoch milliseconds, got ${JSON.stringify(since)}`);
      }
    }
    this.streams.serve(res, {
      ...(sinceMs === undefined ? {} : { sinceMs }),
      ...(this.options.eventPingMs === undefined ? {} : { pingMs: this.options.eventPingMs }),
    });
  }

  private async metrics(res: ServerResponse): Promise<void> {
    const text = this.options.aggregate === undefined ? await this.core.metrics.text() : await this.options.aggregate.metricsText();
    res.writeHead(200, { 'content-type': this.core.metrics.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async fault(req: IncomingMessage, res: ServerResponse, method: string, name: string): Promise<void> {
    const raw = await readBody(req);
    parseJsonBody(raw);
    const backend = this.core.pool.get(name);
    if (backend === undefined) {
      const servers = this.core.pool.names();
      const message = `unknown server ${JSON.stringify(name.slice(0, 80))}; servers: ${describeNames(servers)}`;
      throw new AdminRequestError(404, message, {
        status: 'failure',
        message,
        servers: firstListed(servers),
        ...(servers.length > firstListed(servers).length ? { serverCount: servers.length } : {}),
      });
    }
    let answer;
    try {
      answer = await forwardFault(backend, method, raw, this.core.config.adminToken);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const status = code === 'ETIMEDOUT' ? 504 : 502;
      sendFailure(res, status, `could not reach ${name}'s fault API: ${(error as Error).message}`, { server: name });
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    res.end(answer.body);
  }

  private sendError(res: ServerResponse, error: unknown): void {
    if (error instanceof AdminRequestError) {
      if (error.status === 405 && error.body.allow !== undefined) res.setHeader('allow', String(error.body.allow));
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
      sendJson(res, error.status, error.body);
    } else if (isInvalidFieldError(error) || isAlgorithmError(error)) {
      sendFailure(res, 400, error.message);
    } else {
      sendFailure(res, 500, `admin request failed: ${(error as Error).message}`);
    }
  }
}

/** Runs a settings parser and refuses unknown fields (a typo must not be ignored silently on a PUT). */
function strict<T>(parse: (warnings: string[]) => T): T {
  const warnings: string[] = [];
  const value = parse(warnings);
  const [first] = warnings;
  if (first !== undefined) throw new AdminRequestError(400, first.replace(' and is ignored', ''));
  return value;
}

/** The request target as a URL; `//` and other targets URL cannot take are a 400, not a crash. */
function parseRequestUrl(target: string): URL {
  try {
    return new URL(target.startsWith('/') ? `http://admin${target}` : target, 'http://admin');
  } catch {
    throw new AdminRequestError(400, `request target is not a valid path: ${JSON.stringify(target.slice(0, 80))}`);
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AdminRequestError(400, `server name in the path is not valid percent-encoding: ${JSON.stringify(segment)}`);
  }
}

function methodNotAllowed(method: string, path: string, allowed: readonly string[]): AdminRequestError {
  const message = `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`;
  return new AdminRequestError(405, message, { status: 'failure', message, allow: allowed.join(', ') });
}
