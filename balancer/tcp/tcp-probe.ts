import net from 'node:net';

import { lateLimitMs, type HealthProbe, type ProbeResult } from '../upstreams/health-probe.js';
import type { LoopLag } from '../upstreams/loop-lag.js';

export interface TcpProbeTarget {
  readonly hostname: string;
  readonly port: number;
}

/**
 * A TCP connect to the server (HAProxy's `check` in `mode tcp`): it passes
 * when the connection opens within `timeoutMs`, and is closed at once. A
 * paused (SIGSTOP) server still passes, as its kernel accepts connections;
 * the HTTP check (`health.check: "http"`) sees that it does not answer.
 */
export function probeTcp(target: TcpProbeTarget, timeoutMs: number, done: (result: ProbeResult) => void, lag?: LoopLag): HealthProbe {
  let finished = false;
  const lateAtStart = lag?.lateMs ?? 0;
  const socket = net.connect({ host: target.hostname, port: target.port });
  const finish = (result: ProbeResult): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    socket.destroy();
    done(result);
  };
  const timer = setTimeout(() => {
    // A timeout while the balancer's own event loop was late says nothing about the server.
    const lateMs = (lag?.lateMs ?? 0) - lateAtStart;
    if (lateMs > lateLimitMs(timeoutMs)) finish({ ok: false, reason: `no connect within ${timeoutMs} ms while the balancer was ${Math.round(lateMs)} ms late`, inconclusive: true });
    else finish({ ok: false, reason: `connect timeout after ${timeoutMs} ms` });
  }, timeoutMs);
  socket.once('connect', () => finish({ ok: true, reason: 'connected' }));
  socket.once('error', (error: NodeJS.ErrnoException) => finish({ ok: false, reason: error.code ?? error.message }));
  return {
    cancel() {
      finished = true;
      clearTimeout(timer);
      socket.destroy();
    },
  };
}
