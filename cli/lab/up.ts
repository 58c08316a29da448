import type { AlgorithmName, AlgorithmOptions } from '../../balancer/algorithms/algorithm.js';
import { DEFAULT_CONFIG, type BalancerConfig, type HealthCheckOptions } from '../../balancer/config/config.js';
import { LabError } from '../errors.js';
import type { FaultSpec, LabRuntimeInfo, Runtime, SampleApp } from '../runtime/runtime.js';
import { runtimeOfKind, selectRuntime, type RuntimeChoice } from '../runtime/select-runtime.js';
import { AdminClient } from './admin-client.js';
import { waitForHealth } from './balancer-health.js';
import { readLabRecord, removeLabRecord, writeLabRecord, type LabRecord } from './lab-record.js';
import { recentLogLines } from './member-logs.js';
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
  readonly log: (line: string) => void;
}

export interface UpResult {
  readonly record: LabRecord;
  readonly url: string;
  readonly adminUrl: string;
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
  if (members.some((m) => m.state === 'running' || m.state === 'paused')) {
    throw new LabError(
      'LBLAB_LAB_ALREADY_UP',
      `lab "${lab}" is already up (${record.runtime} runtime, balancer http://127.0.0.1:${record.port}); ` +
        `use it, run \`lblab down${lab === 'lblab' ? '' : ` --lab ${lab}`}\` first, or pick another name with --lab`,
    );
  }
  await runtime.down(lab).catch(() => undefined);
  await removeLabRecord(lab);
}

/**
 * Brings a lab up: N sample servers and the balancer in front of them.
 * Returns once every server answers its health check through the balancer;
 * on any failure, tears down what it started and rethrows.
 */
export async function up(options: UpOptions): Promise<UpResult> {
  const startedAt = Date.now();
  await assertNotUp(options.lab);
  const runtime = await selectRuntime(options.runtime, options.log);
  if (options.portBase !== undefined && runtime.kind !== 'process') options.log(`--port-base ${options.portBase} is ignored: ${runtime.kind} servers are reached on the lab's network, not on host ports`);
  const info: LabRuntimeInfo = { lab: options.lab, port: options.port, adminPort: options.adminPort };
  const record: LabRecord = {
    lab: options.lab,
    runtime: runtime.kind,
    app: options.app,
    port: options.port,
    adminPort: options.adminPort,
    algorithm: options.algorithm,
    health: options.health,
    ...(options.balancer?.mode === 'tcp' ? { mode: 'tcp' as const } : {}),
    createdAt: new Date().toISOString(),
  };
  await writeLabRecord(record);
  try {
    await runtime.prepare(info, { rebuild: options.rebuild === true, log: options.log });
    const names = Array.from({ length: options.servers }, (_, i) => serverName(i + 1));
    const members = await Promise.all(
      names.map((name) => {
        const fault = options.faults?.[name];
        const username = options.usernames?.[name];
        const port = options.portBase === undefined ? undefined : options.portBase + names.indexOf(name);
        return runtime.startServer(info, { name, app: options.app, ...(fault === undefined ? {} : { fault }), ...(username === undefined ? {} : { username }), ...(port === undefined ? {} : { port }) });
      }),
    );
    const template = runtime.serverUrlTemplate(info);
    const config: BalancerConfig = {
      ...DEFAULT_CONFIG,
      ...options.balancer,
      algorithm: options.algorithm,
      algorithmOptions: options.algorithmOptions ?? {},
      health: options.health,
      servers: members.map((m) => ({ name: m.name, url: m.upstreamUrl ?? '', ...(options.weights?.[m.name] === undefined ? {} : { weight: options.weights[m.name] }) })),
      ...(template === undefined ? {} : { serverUrlTemplate: template }),
    };
    await runtime.startBalancer(info, { config });
    const admin = new AdminClient(`http://127.0.0.1:${options.adminPort}`);
    await waitForReady(runtime, admin, options.lab, names, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    return {
      record,
      url: `http://127.0.0.1:${options.port}`,
      adminUrl: admin.adminUrl,
      servers: names,
      elapsedMs: Date.now() - startedAt,
    };
  } catch (error) {
    const teardown = await runtime.down(options.lab).catch((e: Error) => ({ errors: [e] }));
    await removeLabRecord(options.lab);
    for (const problem of teardown.errors) options.log(`while tearing down after the failure: ${problem.message}`);
    throw error;
  }
}

async function waitForReady(runtime: Runtime, admin: AdminClient, lab: string, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  try {
    await waitUntil(() => admin.stats(1_000), { timeoutMs, intervalMs: 50, what: 'the balancer to serve its admin API' });
  } catch (error) {
    const log = await recentLogLines(runtime, lab, 'balancer');
    throw new LabError('LBLAB_NOT_READY', `the balancer did not start: ${(error as Error).message}\nlast balancer log lines:\n${log}`, {
      cause: error,
    });
  }
  try {
    await waitForHealth(admin, names, 'up', Math.max(1_000, deadline - Date.now()));
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
