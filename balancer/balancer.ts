import http, { type Server } from 'node:http';

import type { AlgorithmContext } from './algorithms/algorithm.js';
import { systemContext } from './algorithms/index.js';
import { AdminApi } from './admin/admin-api.js';
import { isSeedRoute } from './data-path/seed-routes.js';
import { BalancerCore } from './balancer-core.js';
import { DEFAULT_MAX_CONNECTIONS, type BalancerConfig } from './config/config.js';
import { ConnectionCap } from './data-path/connection-cap.js';
import type { BalancerStats } from './api-types.js';
import { httpUrl, listen } from './listen-url.js';
import { startTcpDataPath } from './tcp/start-tcp-data-path.js';
import { checkTcpAlgorithm } from './tcp/tcp-algorithms.js';

/** How long close() lets in-flight requests finish before cutting connections. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

export interface StartBalancerOptions {
  /** Random source and monotonic clock for the algorithms; systemContext() by default. */
  readonly context?: AlgorithmContext;
  /** Epoch ms for events and logs; Date.now by default. */
  readonly wallClock?: () => number;
  /** Receives log lines (ISO timestamp first, no newline); stdout by default. */
  readonly log?: (line: string) => void;
  readonly shutdownGraceMs?: number;
  /** Interval of `: ping` comments on GET /events (15 s by default). */
  readonly eventPingMs?: number;
  /** False in a cluster worker: no admin port, no active health checks (the primary has both). True by default. */
  readonly adminAndChecks?: boolean;
}

export interface BalancerHandle {
  /** Data port URL, e.g. http://127.0.0.1:8080 (the bound port when config.port was 0). */
  readonly url: string;
  readonly adminUrl: string;
  readonly port: number;
  readonly adminPort: number;
  readonly config: BalancerConfig;
  /** The state behind the admin API (a cluster worker applies the primary's changes to it). */
  readonly core: BalancerCore;
  /** The same as GET /stats. */
  stats(): BalancerStats;
  /** Stops health checks, stops accepting, lets in-flight requests finish (up to the grace period), closes. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts the data and admin servers for a validated config (see
 * parseBalancerConfig). Rejects, with both servers closed, when a port is taken.
 */
export async function startBalancer(config: BalancerConfig, options: StartBalancerOptions = {}): Promise<BalancerHandle> {
  if (config.mode === 'tcp') checkTcpAlgorithm('config.algorithm', config.algorithm);
  const wallClock = options.wallClock ?? Date.now;
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const withAdmin = options.adminAndChecks !== false;
  const core = new BalancerCore({ config, context: options.context ?? systemContext(), wallClock, log, activeChecks: withAdmin });
  const admin = new AdminApi(core, options.eventPingMs === undefined ? {} : { eventPingMs: options.eventPingMs });
  const dataPath = core.dataPath;
  const tcp = config.mode === 'tcp' ? startTcpDataPath(core, config, (line) => log(`${new Date(wallClock()).toISOString()} ${line}`)) : undefined;
  const cap = new ConnectionCap(config.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const dataServer =
    tcp?.server ??
    http.createServer({ keepAlive: true }, (req, res) => {
      if (config.seedApi === true && isSeedRoute(req.method, req.url)) admin.handleSeedRoute(req, res);
      else if (cap.isOver(req.socket)) dataPath.refuse(req, res, cap.open, cap.max);
      else dataPath.handle(req, res);
    });
  if (tcp === undefined) cap.attach(dataServer as http.Server);
  const adminServer = http.createServer(admin.handle);
  let port: number;
  let adminPort: number;
  try {
    port = await listen(dataServer, config.host, config.port);
    adminPort = withAdmin ? await listen(adminServer, config.adminHost, config.adminPort) : 0;
  } catch (error) {
    core.stop();
    await Promise.all([tcp?.close(0) ?? closeServer(dataServer as Server, 0), closeServer(adminServer, 0)]);
    core.dispose();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      core.stop();
      admin.streams.closeAll();
      await Promise.all([tcp?.close(graceMs) ?? closeServer(dataServer as Server, graceMs), closeServer(adminServer, graceMs)]);
      core.dispose();
    })();
    return closing;
  };

  return {
    url: httpUrl(config.host, port),
    adminUrl: withAdmin ? httpUrl(config.adminHost, adminPort) : '',
    port,
    adminPort,
    config,
    core,
    stats: () => core.stats(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Interval at which connections that went idle during shutdown are closed. */
const IDLE_SWEEP_MS = 50;

/** Stops accepting, closes keep-alive connections as they go idle, and cuts the rest after `graceMs`. */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
