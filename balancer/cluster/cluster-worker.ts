// One data-path process of a balancer with several workers: it waits for the
// primary's start message, serves the shared data port without an admin port or
// health checks of its own, applies every change the primary sends, answers its
// questions, and closes when told (or when the primary is gone).
import { startBalancer, type BalancerHandle } from '../balancer.js';
import type { BalancerCore } from '../balancer-core.js';
import { isMessage, type ClusterChange, type ToPrimary, type ToWorker } from './cluster-messages.js';

/** Events a worker sees and the primary cannot: passed on to the primary's GET /events. */
const FORWARDED_EVENTS = new Set(['ejected', 'retry-budget']);

/** `exit` ends the process (main.ts owns process.exit). */
export function runClusterWorker(exit: (code: number) => void): void {
  let handle: BalancerHandle | undefined;
  let worker = 0;
  let closing = false;
  // Changes sent while this worker was still starting, applied once it has started.
  const pending: ClusterChange[] = [];
  const send = (message: ToPrimary): void => {
    if (process.connected) process.send?.(message);
  };
  const close = (graceMs?: number): void => {
    if (closing) return;
    closing = true;
    const done = (): void => {
      if (process.connected) process.disconnect();
      exit(0);
    };
    if (handle === undefined) done();
    else void handle.close().then(done, done);
    if (graceMs !== undefined) setTimeout(done, graceMs + 1_000).unref();
  };

  process.on('message', (message: unknown) => {
    if (!isMessage<ToWorker>(message)) return;
    if (message.kind === 'start') {
      worker = message.worker;
      const prefix = `worker ${worker}: `;
      startBalancer(message.config, {
        adminAndChecks: false,
        log: (line) => process.stdout.write(`${line.replace(' ', ` ${prefix}`)}\n`),
      }).then(
        (started) => {
          handle = started;
          for (const name of message.up) started.core.applyCheckVerdict(name, 'up', "the primary's checks say up");
          for (const change of pending.splice(0)) applyChange(started.core, change);
          started.core.events.subscribe((event) => {
            if (FORWARDED_EVENTS.has(event.type)) send({ kind: 'event', event: { ...event, detail: `${prefix}${event.detail ?? ''}` } });
          });
          send({ kind: 'listening', port: started.port });
        },
        (error: unknown) => {
          send({ kind: 'failed', message: (error as Error).message });
          close();
        },
      );
    } else if (message.kind === 'close') {
      close(message.graceMs);
    } else if (message.kind === 'ask') {
      if (handle === undefined) return;
      if (message.what === 'stats') send({ kind: 'stats', id: message.id, stats: handle.stats() });
      else void handle.core.metrics.json().then((metrics) => send({ kind: 'metrics', id: message.id, metrics }));
    } else if (handle === undefined) {
      pending.push(message);
    } else {
      applyChange(handle.core, message);
    }
  });
  // The primary decides when workers close; a Ctrl-C reaches the whole process group.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => close());
  process.on('disconnect', () => close());
  send({ kind: 'hello' });
}

/** A change the primary accepted, applied the same way here (the primary validated it). */
export function applyChange(core: BalancerCore, change: ClusterChange): void {
  switch (change.kind) {
    case 'verdict':
      core.applyCheckVerdict(change.server, change.to, change.detail);
      break;
    case 'add':
      if (!core.pool.has(change.spec.name)) core.addServer(change.spec);
      break;
    case 'remove':
      core.removeServer(change.name);
      break;
    case 'algorithm':
      core.setAlgorithm(change.name, change.options);
      break;
    case 'fanout':
      core.setFanout(change.fanout);
      break;
    case 'retries':
      core.setRetries(change.retries);
      break;
    case 'outlier':
      core.setOutlier(change.outlier);
      break;
  }
}
