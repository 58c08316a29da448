import { STATUS_CODES, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { bearerChallenge, checkBearer } from '../balancer/admin/bearer-auth.js';
import { LIMITS } from '../balancer/config/limits.js';
import { handleAppRoute } from './app-handlers.js';
import { MAX_BODY_BYTES, readBody } from './body.js';
import { describeFault, drawInjectedError, drawLatencyMs, type FaultState } from './fault.js';
import { failureReply, sendJson, type JsonReply } from './json.js';
import { handleLabRoute } from './lab-api.js';
import { formatLogLine, stdoutSink, type LogSink } from './log.js';
import type { SampleServerOptions } from './options.js';
import { isLabPath, matchRoute } from './routes.js';
import { StatsRecorder } from './stats.js';
import { WorkerPool } from './worker-pool.js';

/** Longer than any balancer's pool idle time, so pooled connections are not cut under it. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed keepAliveTimeout. */
export const HEADERS_TIMEOUT_MS = 66_000;
/** close() lets answers in progress finish for this long, then cuts every connection. */
export const CLOSE_GRACE_MS = 5_000;

/** Injected for deterministic tests. */
export interface SampleServerDeps {
  /** Returns [0, 1); drives the random factorial n, latency draws and error draws. */
  readonly random?: () => number;
  /** Epoch ms; used for startedAt and log timestamps. */
  readonly now?: () => number;
  /** Receives complete log lines (timestamp included). Default: stdout. */
  readonly log?: LogSink;
}

export interface SampleServer {
  readonly name: string;
  readonly port: number;
  /** Base URL a client on this host can use (127.0.0.1 when bound to 0.0.0.0 or ::). */
  readonly url: string;
  /** The bound address as configured, e.g. http://0.0.0.0:3000. */
  readonly listenUrl: string;
  /** Stops listening, destroys hung sockets, lets answers in progress finish (bounded by CLOSE_GRACE_MS). */
  close(): Promise<void>;
}

function httpUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function connectableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

/** Resolves true after `ms`, or false as soon as the client goes away (the timer is cleared). */
function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}

function splitUrl(rawUrl: string): { pathname: string; query: URLSearchParams } {
  const mark = rawUrl.indexOf('?');
  return mark === -1
    ? { pathname: rawUrl, query: new URLSearchParams() }
    : { pathname: rawUrl.slice(0, mark), query: new URLSearchParams(rawUrl.slice(mark + 1)) };
}

/**
 * Starts the sample server on options.host:options.port (port 0 = any free
 * port) and resolves once it listens. Options are expected to come from
 * parseSampleServerOptions (the name must be a valid header value).
 */
export async function createSampleServer(options: SampleServerOptions, deps: SampleServerDeps = {}): Promise<SampleServer> {
  const { name } = options;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const sink = deps.log ?? stdoutSink;
  const log = (message: string): void => sink(formatLogLine(now(), name, message));

  let fault: FaultState = options.fault;
  let closing = false;
  let startedAtMs = now();
  const stats = new StatsRecorder();
  const workers = new WorkerPool(fault.concurrency);
  const hungSockets = new Set<Socket>();
  // Requests in progress per connection. close() ends connections with none,
  // including ones a client opened ahead of time and never used (Node's
  // closeIdleConnections() leaves those open until the client gives up).
  const requestsBySocket = new Map<Socket, number>();

  const labContext = {
    name,
    getFault: (): FaultState => fault,
    setFault: (next: FaultState): void => {
      fault = next;
      workers.setLimit(next.concurrency);
      log(`fault ${describeFault(next)}`);
    },
    stats: () => stats.snapshot({ server: name, app: options.app, fault, startedAtMs, workers }),
  };
  const appContext = { name, app: options.app, username: options.username, random };

  const send = (res: ServerResponse, reply: JsonReply): void => {
    if (closing) res.setHeader('Connection', 'close');
    sendJson(res, reply);
  };

  /** Hang: the request was read; keep the socket, never answer, until the client or close() ends it. */
  const park = (socket: Socket): void => {
    if (closing) socket.destroy();
    if (socket.destroyed) return;
    hungSockets.add(socket);
    socket.once('close', () => hungSockets.delete(socket));
  };

  const trackRequest = (socket: Socket, res: ServerResponse): void => {
    requestsBySocket.set(socket, (requestsBySocket.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const requests = requestsBySocket.get(socket);
      if (requests === undefined) return;
      requestsBySocket.set(socket, requests - 1);
      if (closing && requests === 1) socket.end();
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Server-Id', name);
    trackRequest(req.socket, res);
    const startedMs = performance.now();
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const { pathname, query } = splitUrl(rawUrl);
    const match = matchRoute(method, pathname);
    // /_lab/* is the control plane: no faults, not counted, small bodies. /health
    // is counted apart (healthChecks) so balancer checks don't skew traffic.
    const lab = match.kind === 'lab' || isLabPath(pathname);
    // Attach body listeners before any await, so no data is missed.
    const bodyRead = readBody(req, lab ? LIMITS.adminBodyBytes.max : MAX_BODY_BYTES);

    const health = match.kind === 'app' && match.key === 'GET /health';
    if (health) {
      stats.healthCheck();
    } else if (!lab) {
      stats.requestStarted(match.kind === 'app' ? match.key : 'unmatched');
      res.once('close', () => stats.requestEnded());
      res.once('finish', () => stats.statusSent(res.statusCode));
    }
    if (options.logRequests) {
      res.once('close', () => {
        const outcome = res.writableFinished ? String(res.statusCode) : 'aborted';
        log(`${method} ${rawUrl} ${outcome} ${(performance.now() - startedMs).toFixed(1)}ms`);
      });
    }

    const read = await bodyRead;
    if (read.kind === 'aborted') return;
    if (read.kind === 'too-large') {
      res.setHeader('Connection', 'close');
      send(res, failureReply(413, `Request body is larger than ${read.limitBytes} bytes`, name));
      return;
    }

    if (lab && options.token !== undefined) {
      const verdict = checkBearer(req.headers.authorization, options.token);
      if (verdict !== 'ok') {
        const { message, header } = bearerChallenge(verdict, `${name}'s /_lab API`);
        send(res, failureReply(401, message, name, { 'WWW-Authenticate': header }));
        return;
      }
    }

    if (!lab) {
      const current = fault;
      if (current.hang) {
        park(req.socket);
        return;
      }
      // Health checks skip the workers' queue (see FaultState.concurrency).
      if (!health && !(await workers.enter(res))) return;
      const latencyMs = drawLatencyMs(current.latencyMs, random);
      if (latencyMs > 0 && !(await waitUnlessClosed(latencyMs, res))) return;
      // The error rate spares /health unless healthToo is set (see FaultState.healthToo).
      if ((!health || current.healthToo) && current.errorRate > 0 && drawInjectedError(current.errorRate, random)) {
        send(res, failureReply(500, 'injected error', name));
        return;
      }
    }

    switch (match.kind) {
      case 'lab':
        send(res, handleLabRoute(match.key, read.body, labContext));
        return;
      case 'app':
        send(res, handleAppRoute({ key: match.key, method, params: match.params, query, body: read.body }, appContext));
        return;
      case 'method-not-allowed':
        send(
          res,
          failureReply(405, `Method ${method} not allowed for ${pathname}: expected ${match.allow.join(' or ')}`, name, {
            Allow: match.allow.join(', '),
          }),
        );
        return;
      case 'not-found':
        send(res, failureReply(404, `Not found: ${method} ${pathname}`, name));
        return;
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      log(`internal error on ${req.method ?? '?'} ${req.url ?? '?'}: ${message}`);
      send(res, failureReply(500, `Internal error: ${message}`, name));
    });
  });
  server.on('connection', (socket: Socket) => {
    requestsBySocket.set(socket, 0);
    socket.once('close', () => requestsBySocket.delete(socket));
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;

  // Malformed requests never reach the handler; still answer in JSON with X-Server-Id.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const body = JSON.stringify({ status: 'failure', message: `Bad request: ${error.code ?? error.message}`, server: name });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Server-Id: ${name}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`server error: ${error.message}`));
  startedAtMs = now();
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing = true;
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      server.close(() => {
        clearTimeout(grace);
        resolve();
      });
      for (const socket of hungSockets) socket.destroy();
      for (const [socket, requests] of requestsBySocket) if (requests === 0) socket.destroy();
    });
    return closed;
  };

  return {
    name,
    port,
    url: httpUrl(connectableHost(options.host), port),
    listenUrl: httpUrl(options.host, port),
    close,
  };
}
