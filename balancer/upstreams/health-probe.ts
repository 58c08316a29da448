import type { IncomingMessage } from 'node:http';

import type { Backend } from './backend.js';
import type { LoopLag } from './loop-lag.js';

export interface ProbeResult {
  readonly ok: boolean;
  /** `status 200`, `ECONNREFUSED`, `timeout after 300 ms`. */
  readonly reason: string;
  /**
   * The check says nothing about the server: it timed out while the
   * balancer itself was late, or failed for want of the balancer's own
   * resources (file descriptors, ports). It counts neither way.
   */
  readonly inconclusive?: boolean;
}

/** Errors that are the balancer's own shortage, not the server's. */
const OWN_ERRORS: ReadonlySet<string> = new Set(['EMFILE', 'ENFILE', 'EADDRNOTAVAIL', 'ENOBUFS', 'ENOMEM']);

/** A timeout is the server's fault only if the balancer was late by less than this share of the timeout (at least 25 ms). */
export function lateLimitMs(timeoutMs: number): number {
  return Math.max(25, timeoutMs / 4);
}

export interface HealthProbe {
  /** Stops the probe without calling back (the server was removed, the balancer closes). */
  cancel(): void;
}

/**
 * One `GET <path>` against `backend` on a fresh connection (no keep-alive,
 * so a paused server cannot hide behind an open socket). A 2xx or 3xx within
 * `timeoutMs` passes; anything else, including no answer in time, fails,
 * unless `lag` shows that the balancer's own event loop was late during the
 * check (then the result is inconclusive).
 */
export function probeHealth(
  backend: Backend,
  path: string,
  timeoutMs: number,
  done: (result: ProbeResult) => void,
  lag?: LoopLag,
): HealthProbe {
  const lateAtStart = lag?.lateMs ?? 0;
  let finished = false;
  const finish = (result: ProbeResult): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    request.destroy();
    done(result);
  };
  const request = backend.request({
    hostname: backend.hostname,
    port: backend.port,
    method: 'GET',
    path: backend.basePath + path,
    agent: false,
    headers: { connection: 'close', 'user-agent': 'lblab-health-check' },
  });
  const timer = setTimeout(() => {
    const lateMs = (lag?.lateMs ?? 0) - lateAtStart;
    if (lateMs > lateLimitMs(timeoutMs)) {
      finish({ ok: false, reason: `no answer within ${timeoutMs} ms while the balancer was ${Math.round(lateMs)} ms late`, inconclusive: true });
    } else finish({ ok: false, reason: `timeout after ${timeoutMs} ms` });
  }, timeoutMs);
  request.on('response', (response: IncomingMessage) => {
    const status = response.statusCode ?? 0;
    response.resume();
    finish({ ok: status >= 200 && status < 400, reason: `status ${status}` });
  });
  request.on('error', (error: NodeJS.ErrnoException) =>
    finish({ ok: false, reason: error.code ?? error.message, ...(OWN_ERRORS.has(error.code ?? '') ? { inconclusive: true } : {}) }),
  );
  request.end();
  return {
    cancel() {
      finished = true;
      clearTimeout(timer);
      request.destroy();
    },
  };
}
