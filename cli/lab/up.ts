import type { AlgorithmName, AlgorithmOptions } from '../../balancer/algorithms/algorithm.js';
import { DEFAULT_CONFIG, type BalancerConfig, type HealthCheckOptions } from '../../balancer/config/config.js';
import { LabError } from '../errors.js';
import type { FaultSpec, LabRuntimeInfo, Runtime, SampleApp } from '../runtime/runtime.js';
import { runtimeOfKind, selectRuntime, type RuntimeChoice, type SwarmChoices } from '../runtime/select-runtime.js';
import { AdminClient } from './admin-client.js';
import { checkBalancerConfig } from './check-balancer-config.js';
import { alreadyUpError } from './already-up-error.js';
import { waitForHealth } from './balancer-health.js';
import type { BalancerControl } from '../balancers/balancer-control.js';
import type { BalancerKind } from '../balancers/balancer-kind.js';
import { launchBalancer } from '../balancers/launch-balancer.js';
import { findHostProgram } from '../balancers/host-program.js';
import { resolveSettings } from '../balancers/resolve-settings.js';
import { settingsFromConfig } from '../balancers/settings-from-config.js';
import { requireNginxStream } from '../balancers/nginx-stream-module.js';
import { describeLeftovers } from './leftovers.js';
import { balancerUrls, readLabRecord, removeLabRecord, writeLabRecord, type AdminAuth, type LabRecord } from './lab-record.js';
import { createLabToken, writeLabToken } from './lab-token.js';
import { recentLogLines } from './member-logs.js';
import { stepTiming } from './step-timing.js';
import { waitUntil } from './wait-until.js';

export interface UpOptions {
  readonly lab: string;
  readonly servers: number;
  readonly app: SampleApp;
  readonly algorithm: AlgorithmName;
  readonly algorithmOptions?: AlgorithmOptions;
  readonly port: number;
  readonly adminPort: number;
  readonly runtime: RuntimeChoice;
  /** Swarm runtime: placement of the servers and the registry for their images. */
  readonly swarm?: SwarmChoices;
  readonly health: HealthCheckOptions;
  readonly rebuild?: boolean;
  /** Settings passed to the balancer as they are (retries, fan-out routes, timeouts). */
  readonly balancer?: Partial<BalancerConfig>;
  readonly faults?: Readonly<Record<string, FaultSpec>>;
  /** Per-server weight for the balancer (weighted algorithms); left out = 1. */
  readonly weights?: Readonly<Record<string, number>>;
  /** Per-server username of the sample app (seed 002); left out = the server's name. */
  readonly usernames?: Readonly<Record<string, string>>;
  /** Process runtime: server<k> listens on portBase + k - 1 (default: free ports). */
  readonly portBase?: number;
  readonly readyTimeoutMs?: number;
  /** lblab (default), haproxy or nginx. */
  readonly balancerKind?: BalancerKind;
  /** HAProxy, nginx: run with the closest documented equivalent of a setting they lack instead of refusing. */
  readonly closest?: boolean;
  /** `token` (default): the lab gets a random admin token; `none`: its admin API is open to anyone on the machine. */
  readonly adminAuth?: AdminAuth;
  /** Aborting stops the start at the next step, tears down what was started and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  readonly log: (line: string) => void;
}

export interface UpResult {
  readonly record: LabRecord;
  readonly url: string;
  readonly adminUrl: string;
  /** The lab's admin token; undefined with adminAuth none. */
  readonly token: string | undefined;
  readonly servers: readonly string[];
  readonly elapsedMs: number;
}

const DEFAULT_READY_TIMEOUT_MS = 30_000;

export function serverName(index: number): string {
  return `server${index}`;
}

/** Throws LBLAB_LAB_ALREADY_UP when the lab has running members; clears a stale record. */
async function assertNotUp(lab: string): Promise<void> {
  const record = await readLabRecord(lab);
  if (record === undefined) return;
  const runtime = await runtimeOfKind(record.runtime);
  const members = await runtime.list(lab).catch(() => []);
  if (members.some((m) => m.state === 'running' || m.state === 'paused')) throw alreadyUpError(record, members);
  await runtime.down(lab).catch(() => undefined);
  await removeLabRecord(lab);
}

/** The balancer's config for the lab's options and servers. */
function balancerConfig(options: UpOptions, servers: BalancerConfig['servers']): BalancerConfig {
  return {
    ...DEFAULT_CONFIG,
    ...options.balancer,
    port: options.port,
    adminPort: options.adminPort,
    algorithm: options.algorithm,
    algorithmOptions: options.algorithmOptions ?? {},
    health: options.health,
    servers,
  };
}

/**
 * Brings a lab up: N sample servers and the balancer in front of them.
 * Returns once every server answers its health check through the balancer;
 * on any failure, tears down what it started and rethrows.
 */
export async function up(options: UpOptions): Promise<UpResult> {
  const startedAt = Date.now();
  const timing = stepTiming('up');
  const { signal } = options;
  signal?.throwIfAborted();
  await checkBalancerConfig(balancerConfig(options, []));
  const kind = options.balancerKind ?? 'lblab';
  const closest = options.closest === true;
  // Refused before anything starts: a setting the balancer lacks.
  if (kind !== 'lblab') resolveSettings(kind, settingsFromConfig(balancerConfig(options, []), { listenHost: '', port: 0, adminPort: 0, runDir: '' }, closest));
  await assertNotUp(options.lab);
  timing.mark('checks');
  const runtime = await selectRuntime(options.runtime, options.log, options.swarm);
  timing.mark(`runtime (${runtime.kind})`);
  if (options.portBase !== undefined && runtime.kind !== 'process') options.log(`--port-base ${options.portBase} is ignored: ${runtime.kind} servers are reached on the lab's network, not on host ports`);
  if (kind !== 'lblab' && runtime.kind === 'process') {
    const program = await findHostProgram(kind);
    if (kind === 'nginx' && options.balancer?.mode === 'tcp') await requireNginxStream(program);
  }
  signal?.throwIfAborted();
  const adminAuth = options.adminAuth ?? 'token';
  const token = adminAuth === 'none' ? undefined : createLabToken();
  if (token === undefined) {
    options.log(`warning: lab ${options.lab} has no admin token (--admin-auth none): anyone on this machine can use its admin API and its servers' fault routes`);
  }
  const info: LabRuntimeInfo = { lab: options.lab, port: options.port, adminPort: options.adminPort, ...(token === undefined ? {} : { token }) };
  const record: LabRecord = {
    lab: options.lab,
    runtime: runtime.kind,
    app: options.app,
    port: options.port,
    adminPort: options.adminPort,
    algorithm: options.algorithm,
    health: options.health,
    ...(options.balancer?.mode === 'tcp' ? { mode: 'tcp' as const } : {}),
    adminAuth,
    createdAt: new Date().toISOString(),
    balancer: { kind },
    ...(runtime.publishedHost === undefined ? {} : { host: runtime.publishedHost() }),
  };
  await writeLabRecord(record);
  try {
    if (token !== undefined) await writeLabToken(options.lab, token);
    await runtime.prepare(info, { rebuild: options.rebuild === true, log: options.log, balancerKind: kind });
    timing.mark('prepare (images, network)');
    signal?.throwIfAborted();
    const names = Array.from({ length: options.servers }, (_, i) => serverName(i + 1));
    const serverStarts = names.map((name, index) => {
      const fault = options.faults?.[name];
      const username = options.usernames?.[name];
      const port = options.portBase === undefined ? undefined : options.portBase + index;
      const launch = { name, app: options.app, ...(fault === undefined ? {} : { fault }), ...(username === undefined ? {} : { username }), ...(port === undefined ? {} : { port }) };
      return timing.time(`start ${name}`, runtime.startServer(info, launch));
    });
    const template = runtime.serverUrlTemplate(info);
    const configOf = (servers: readonly { readonly name: string; readonly upstreamUrl?: string | undefined }[]): BalancerConfig => ({
      ...balancerConfig(options, servers.map((m) => ({ name: m.name, url: m.upstreamUrl ?? '', ...(options.weights?.[m.name] === undefined ? {} : { weight: options.weights[m.name] }) }))),
      ...(template === undefined ? {} : { serverUrlTemplate: template }),
    });
    const launch = (config: BalancerConfig): Promise<BalancerControl> => timing.time('start balancer', launchBalancer({ runtime, info, kind, config, closest, log: options.log }));
    // Servers reached by a name known before they start (Docker's DNS aliases): lblab's balancer starts alongside them
    // and health-checks them until they answer. HAProxy and nginx resolve their servers when they start, so they wait.
    const early = template !== undefined && kind === 'lblab' ? launch(configOf(names.map((name) => ({ name, upstreamUrl: template.replaceAll('{name}', name) })))) : undefined;
    // Both settle before a failure is thrown, so the teardown finds every member that was started.
    const [serversDone, balancerDone] = await Promise.allSettled([allOrFirstError(serverStarts), early]);
    if (serversDone.status === 'rejected') throw serversDone.reason;
    if (balancerDone.status === 'rejected') throw balancerDone.reason;
    const admin = balancerDone.value ?? (await launch(configOf(serversDone.value)));
    timing.mark('start members');
    signal?.throwIfAborted();
    await untilAborted(waitForReady(runtime, admin, options.lab, names, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS), signal);
    timing.mark('ready (health checks passed)');
    const version = await admin.version().catch(() => undefined);
    const ready: LabRecord = { ...record, balancer: { kind, ...(version === undefined ? {} : { version }) } };
    await writeLabRecord(ready);
    return {
      record: ready,
      url: balancerUrls(ready).url,
      adminUrl: admin.adminUrl,
      token,
      servers: names,
      elapsedMs: Date.now() - startedAt,
    };
  } catch (error) {
    if (signal?.aborted === true) options.log(`interrupted: tearing down lab ${options.lab}`);
    const teardown = await runtime.down(options.lab).catch((e: Error) => ({ errors: [e] }));
    if (teardown.errors.length === 0) {
      await removeLabRecord(options.lab);
      throw error;
    }
    // The record and the state folder stay: `lblab down` needs them to find what is left.
    const left = await describeLeftovers(options.lab);
    throw new LabError(
      'LBLAB_ENGINE',
      `${(error as Error).message}\ntearing down lab ${options.lab} failed:\n${teardown.errors.map((e) => `  - ${e.message}`).join('\n')}\n${left}`,
      { cause: error },
    );
  }
}

/** Every promise's value; when some fail, the first failure, once all have settled (so teardown finds every member that was started). */
async function allOrFirstError<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
}

/** The promise, or the signal's reason as soon as it is aborted (the work goes on in the background). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The balancer configuration of the lab's settings, whatever the balancer kind. */
export function labConfig(options: Pick<UpOptions, 'balancer' | 'algorithm' | 'algorithmOptions' | 'health'>, servers: BalancerConfig['servers']): BalancerConfig {
  return {
    ...DEFAULT_CONFIG,
    ...options.balancer,
    algorithm: options.algorithm,
    algorithmOptions: options.algorithmOptions ?? {},
    health: options.health,
    servers,
  };
}

async function waitForReady(runtime: Runtime, admin: BalancerControl, lab: string, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  try {
    await waitUntil(() => admin.stats(1_000), { timeoutMs, intervalMs: 50, what: `the balancer (${admin.kind}) to serve its admin port` });
  } catch (error) {
    const log = await recentLogLines(runtime, lab, 'balancer');
    throw new LabError('LBLAB_NOT_READY', `the balancer did not start: ${(error as Error).message}\nlast balancer log lines:\n${log}`, {
      cause: error,
    });
  }
  try {
    await admin.waitForServers(names, Math.max(1_000, deadline - Date.now()));
  } catch (error) {
    const stats = await admin.stats().catch(() => undefined);
    const notUp = names.filter((name) => stats?.servers.find((s) => s.name === name)?.health !== 'up');
    const details = await Promise.all(
      notUp.map(async (name) => `--- ${name} (last log lines):\n${await recentLogLines(runtime, lab, name)}`),
    );
    throw new LabError(
      'LBLAB_NOT_READY',
      `${notUp.join(', ') || 'some servers'} did not pass health checks within ${timeoutMs} ms: ${(error as Error).message}\n${details.join('\n')}`,
      { cause: error },
    );
  }
}
