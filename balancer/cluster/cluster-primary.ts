// A balancer with several workers (config.workers > 1): this process is the
// cluster's primary. It serves the admin port, runs the one health checker and
// holds the settings; N workers (cluster-worker.ts) share the data port and
// proxy. /stats and /metrics ask every worker and sum; every admin change and
// health verdict is sent to every worker; a worker that dies is started again.
//
// Scheduling: SCHED_RR, set on purpose. The primary accepts each connection and
// hands it to the next worker, so connections are spread evenly. With
// SCHED_NONE every worker accepts from the shared socket and the kernel wakes
// whichever is idle first: a burst of keep-alive connections (a load generator
// opening 50 at once) can land mostly on one worker, which then does most of
// the work for the whole run. The cost of RR is one IPC hand-off per new
// connection in the primary, which keep-alive clients pay once.
import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';

import { AdminApi } from '../admin/admin-api.js';
import { systemContext } from '../algorithms/index.js';
import { closeServer, DEFAULT_SHUTDOWN_GRACE_MS } from '../balancer.js';
import type { BalancerStats } from '../api-types.js';
import type { BalancerConfig } from '../config/config.js';
import { httpUrl, listen } from '../listen-url.js';
import { isMessage, type ClusterChange, type MetricsJson, type ToPrimary, type ToWorker } from './cluster-messages.js';
import { aggregateMetrics } from './metrics-aggregation.js';
import { PrimaryCore } from './primary-core.js';
import { aggregateStats, type WorkerAnswer } from './stats-aggregation.js';

/** How long /stats and /metrics wait for a worker; one that is (re)starting is left out. */
export const WORKER_ANSWER_TIMEOUT_MS = 2_000;
/** How long the workers have to say they listen. */
export const WORKER_START_TIMEOUT_MS = 15_000;
/** A worker that dies sooner than this after its start is started again after this long (no fork loop). */
export const RESTART_BACKOFF_MS = 1_000;

export interface ClusterPrimaryOptions {
  readonly workers: number;
  readonly log?: (line: string) => void;
  readonly shutdownGraceMs?: number;
}

export interface ClusterHandle {
  readonly url: string;
  readonly adminUrl: string;
  readonly config: BalancerConfig;
  readonly workers: number;
  close(): Promise<void>;
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  /** The worker has its start message: changes and questions may be sent. */
  ready: boolean;
  restarts: number;
  startedAt: number;
}

export async function startClusterPrimary(config: BalancerConfig, options: ClusterPrimaryOptions): Promise<ClusterHandle> {
  const log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  const wallClock = Date.now;
  const stamp = (line: string): void => log(`${new Date(wallClock()).toISOString()} ${line}`);
  const slots: Slot[] = Array.from({ length: options.workers }, (_, i) => ({ index: i + 1, worker: undefined, ready: false, restarts: 0, startedAt: 0 }));
  const send = (slot: Slot, message: ToWorker): void => {
    if (slot.ready && slot.worker?.isConnected() === true) slot.worker.send(message);
  };
  const broadcast = (change: ClusterChange): void => {
    for (const slot of slots) send(slot, change);
  };
  const core = new PrimaryCore({ config, context: systemContext(), wallClock, log }, broadcast);

  let nextId = 1;
  const waiting = new Map<number, (message: ToPrimary) => void>();
  const ask = <T>(slot: Slot, what: 'stats' | 'metrics', pick: (message: ToPrimary) => T | undefined): Promise<T | undefined> =>
    new Promise((resolve) => {
      if (!slot.ready || slot.worker?.isConnected() !== true) return resolve(undefined);
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(undefined);
      }, WORKER_ANSWER_TIMEOUT_MS);
      waiting.set(id, (message) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(pick(message));
      });
      send(slot, { kind: 'ask', id, what });
    });

  const stats = async (): Promise<BalancerStats> => {
    const answers = await Promise.all(
      slots.map(async (slot): Promise<WorkerAnswer> => ({
        worker: slot.index,
        pid: slot.worker?.process.pid ?? 0,
        restarts: slot.restarts,
        stats: await ask(slot, 'stats', (m) => (m.kind === 'stats' ? m.stats : undefined)),
      })),
    );
    return aggregateStats(core.stats(), answers);
  };
  const metricsText = async (): Promise<string> => {
    const perWorker = await Promise.all(slots.map((slot) => ask(slot, 'metrics', (m) => (m.kind === 'metrics' ? m.metrics : undefined))));
    const all: MetricsJson[] = [await core.metrics.json(), ...perWorker.filter((m): m is MetricsJson => m !== undefined)];
    return aggregateMetrics(all).metrics();
  };
  const admin = new AdminApi(core, { aggregate: { stats, metricsText } });
  const adminServer = http.createServer(admin.handle);

  let closing = false;
  let started: ((port: number) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;

  const fork = (slot: Slot): Worker => {
    const worker = cluster.fork();
    slot.worker = worker;
    slot.ready = false;
    slot.startedAt = Date.now();
    worker.on('message', (message: unknown) => {
      if (!isMessage<ToPrimary>(message)) return;
      if (message.kind === 'hello') {
        // The snapshot holds every change made before now; later ones follow as messages, in order.
        const { config: snapshot, up } = core.snapshot();
        worker.send({ kind: 'start', worker: slot.index, config: snapshot, up } satisfies ToWorker);
        slot.ready = true;
      } else if (message.kind === 'listening') started?.(message.port);
      else if (message.kind === 'failed') failed?.(new Error(`worker ${slot.index}: ${message.message}`));
      else if (message.kind === 'event') core.events.push(message.event);
      else waiting.get(message.id)?.(message);
    });
    worker.on('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      slot.ready = false;
      if (closing) return;
      const how = signal === null ? `code ${code}` : `signal ${signal}`;
      const quick = Date.now() - slot.startedAt < RESTART_BACKOFF_MS;
      const restart = (): void => {
        if (closing) return;
        slot.restarts++;
        const next = fork(slot);
        const detail = `worker ${slot.index} (pid ${worker.process.pid}) exited with ${how}; started again as pid ${next.process.pid}`;
        stamp(detail);
        core.events.push({ type: 'worker', detail, at: wallClock() });
      };
      if (quick) setTimeout(restart, RESTART_BACKOFF_MS).unref();
      else restart();
    });
    return worker;
  };

  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: process.argv[1] ?? '', args: [] });

  let port: number;
  let adminPort: number;
  try {
    adminPort = await listen(adminServer, config.adminHost, config.adminPort);
    port = await new Promise<number>((resolve, reject) => {
      let listening = 0;
      const timer = setTimeout(() => reject(new Error(`the workers did not listen within ${WORKER_START_TIMEOUT_MS} ms`)), WORKER_START_TIMEOUT_MS);
      started = (bound) => {
        if (++listening < slots.length) return;
        clearTimeout(timer);
        resolve(bound);
      };
      failed = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      for (const slot of slots) fork(slot);
    });
  } catch (error) {
    closing = true;
    core.stop();
    await Promise.all([stopWorkers(slots, 0), closeServer(adminServer, 0)]);
    core.dispose();
    throw error;
  }
  started = undefined;
  failed = (error) => stamp(error.message);
  stamp(`${slots.length} workers on port ${port} (pids ${slots.map((s) => s.worker?.process.pid).join(', ')})`);

  let closingPromise: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closingPromise ??= (async () => {
      closing = true;
      const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
      core.stop();
      admin.streams.closeAll();
      await Promise.all([stopWorkers(slots, graceMs), closeServer(adminServer, graceMs)]);
      core.dispose();
    })();
    return closingPromise;
  };
  return { url: httpUrl(config.host, port), adminUrl: httpUrl(config.adminHost, adminPort), config, workers: slots.length, close };
}

/** Tells every worker to close (finishing its requests within graceMs) and waits for it to exit; SIGKILL after graceMs + 2 s. */
function stopWorkers(slots: readonly Slot[], graceMs: number): Promise<void> {
  return Promise.all(
    slots.map((slot) => {
      const worker = slot.worker;
      if (worker === undefined || worker.process.exitCode !== null || worker.process.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs + 2_000);
        worker.process.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        if (worker.isConnected()) worker.send({ kind: 'close', graceMs } satisfies ToWorker);
        else worker.process.kill('SIGTERM');
      });
    }),
  ).then(() => undefined);
}
