import type { IncomingMessage } from 'node:http';

import type { Backend } from './backend.js';

export interface ProbeResult {
  readonly ok: boolean;
  /** `status 200`, `ECONNREFUSED`, `timeout after 300 ms`. */
  readonly reason: string;
}

export interface HealthProbe {
  /** Stops the probe without calling back (the server was removed, the balancer closes). */
  cancel(): void;
}

/**
 * One `GET <path>` against `backend` on a fresh connection (no keep-alive,
 * so a paused server cannot hide behind an open socket). A 2xx or 3xx within
 * `timeoutMs` passes; anything else, including no answer in time, fails.
 */
export function probeHealth(backend: Backend, path: string, timeoutMs: number, done: (result: ProbeResult) => void): HealthProbe {
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
  const timer = setTimeout(() => finish({ ok: false, reason: `timeout after ${timeoutMs} ms` }), timeoutMs);
  request.on('response', (response: IncomingMessage) => {
    const status = response.statusCode ?? 0;
    response.resume();
    finish({ ok: status >= 200 && status < 400, reason: `status ${status}` });
  });
  request.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, reason: error.code ?? error.message }));
  request.end();
  return {
    cancel() {
      finished = true;
      clearTimeout(timer);
      request.destroy();
    },
  };
}
