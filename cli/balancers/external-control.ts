import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { ServerFaultState } from '../lab/admin-client.js';
import { LabError, labFlag, withFix } from '../errors.js';
import { waitUntil } from '../lab/wait-until.js';
import type { FaultSpec, Runtime } from '../runtime/runtime.js';
import type { BalancerControl, ControlStats, HealthWatch, ReplicaList, WatchHealthOptions } from './balancer-control.js';
import { readBalancerState, writeBalancerFiles, type ExternalBalancerState } from './balancer-files.js';
import { addressOf, type BalancerSettings, type GeneratedServer } from './balancer-settings.js';
import { reloadSignal } from './host-program.js';
import { resolveSettings } from './resolve-settings.js';

const RELOAD_TIMEOUT_MS = 10_000;
const ADMIN_TIMEOUT_MS = 3_000;

export interface ExternalControlOptions {
  readonly lab: string;
  readonly runtime: Runtime;
  /** http://127.0.0.1:<adminPort> */
  readonly adminUrl: string;
  /** The lab's admin token, which the servers' fault routes want; undefined when the lab's admin auth is off. */
  readonly token?: string;
}

/**
 * What HAProxy and nginx share: the servers and the algorithm live in the
 * generated configuration, so add, rm and algorithm regenerate it and reload
 * (the signal each program takes for a reload without dropping connections),
 * then wait until the admin port's /health answers with the new generation.
 * Faults go through the admin port's /server/<name>/ route to the server.
 */
export abstract class ExternalControl implements BalancerControl {
  abstract readonly kind: 'haproxy' | 'nginx';
  readonly adminUrl: string;
  protected readonly lab: string;
  protected readonly runtime: Runtime;
  protected readonly token: string | undefined;

  constructor(options: ExternalControlOptions) {
    this.adminUrl = options.adminUrl;
    this.token = options.token;
    this.lab = options.lab;
    this.runtime = options.runtime;
  }

  abstract version(): Promise<string | undefined>;
  abstract stats(timeoutMs?: number): Promise<ControlStats>;
  abstract waitForServers(names: readonly string[], timeoutMs: number): Promise<void>;
  abstract watchHealth(options: WatchHealthOptions): Promise<HealthWatch>;

  /** Work before a reload (HAProxy saves its servers' health states). */
  protected async beforeReload(): Promise<void> {}

  /** The servers written into a new configuration; all registered ones unless a kind must leave some out. */
  protected async serversToWrite(state: ExternalBalancerState): Promise<readonly GeneratedServer[]> {
    return state.settings.servers;
  }

  async membersChanged(): Promise<void> {}

  protected async state(): Promise<ExternalBalancerState> {
    const state = await readBalancerState(this.lab);
    if (state === undefined) {
      throw new LabError('LBLAB_LAB_NOT_UP', withFix(`lab ${this.lab} runs ${this.kind} but its generated configuration is missing`, 'Start it again', `lblab down${labFlag(this.lab)} && lblab up${labFlag(this.lab)} --balancer ${this.kind}`));
    }
    return state;
  }

  /** The registered servers (those in the configuration), in order. */
  async replicas(): Promise<ReplicaList> {
    const names = (await this.state()).settings.servers.map((server) => server.name);
    return { N: names.length, replicas: names };
  }

  async addServers(servers: readonly { name: string; url: string }[]): Promise<ReplicaList> {
    const state = await this.state();
    const known = new Set(state.settings.servers.map((server) => server.name));
    const taken = servers.filter((server) => known.has(server.name)).map((server) => server.name);
    if (taken.length > 0) throw new LabError('LBLAB_BAD_INPUT', `${this.kind} already has ${taken.join(', ')}`, { exitCode: 2 });
    const added = servers.map((server): GeneratedServer => ({ name: server.name, address: addressOf(server.url), weight: 1 }));
    await this.reconfigure(state, { servers: [...state.settings.servers, ...added] });
    return this.replicas();
  }

  async removeServers(names: readonly string[]): Promise<ReplicaList> {
    const state = await this.state();
    const unknown = names.filter((name) => !state.settings.servers.some((server) => server.name === name));
    if (unknown.length > 0) throw new LabError('LBLAB_UNKNOWN_SERVER', withFix(`${this.kind} has no server ${unknown.join(', ')}`, 'Its servers', `lblab status${labFlag(this.lab)}`));
    await this.reconfigure(state, { servers: state.settings.servers.filter((server) => !names.includes(server.name)) });
    return this.replicas();
  }

  async setAlgorithm(algorithm: AlgorithmName): Promise<string | undefined> {
    const state = await this.state();
    const resolved = resolveSettings(this.kind, { ...state.settings, algorithm });
    await this.reconfigure(state, { algorithm: resolved.settings.algorithm }, resolved.notes);
    const substitution = resolved.notes.filter((note) => note.includes(`in place of ${algorithm}`));
    const notes = substitution.length === 0 ? '' : ` (${substitution.join('; ')})`;
    return `regenerated the ${this.kind} configuration and reloaded ${this.kind}${notes}`;
  }

  setFault(server: string, fault: FaultSpec): Promise<unknown> {
    return this.serverRequest('POST', server, '/_lab/fault', fault);
  }

  async fault(server: string): Promise<ServerFaultState> {
    return ((await this.serverRequest('GET', server, '/_lab/fault')) as { fault: ServerFaultState }).fault;
  }

  clearFault(server: string): Promise<unknown> {
    return this.serverRequest('DELETE', server, '/_lab/fault');
  }

  /** Writes a new configuration (next generation), reloads, and waits until it serves. */
  protected async reconfigure(state: ExternalBalancerState, change: Partial<BalancerSettings>, notes: readonly string[] = state.notes): Promise<void> {
    const generation = (state.settings.generation ?? 0) + 1;
    const settings: BalancerSettings = { ...state.settings, ...change, generation };
    const next: ExternalBalancerState = { ...state, settings, notes };
    // The state keeps every registered server, also those a kind leaves out of this configuration.
    await writeBalancerFiles(this.lab, next, await this.serversToWrite(next));
    await this.reload(generation);
  }

  protected async reload(generation: number): Promise<void> {
    await this.beforeReload();
    await this.runtime.signal(this.lab, 'balancer', reloadSignal(this.kind));
    await waitUntil(async () => ((await this.adminHealth()) === `ok ${generation}` ? true : undefined), {
      timeoutMs: RELOAD_TIMEOUT_MS,
      intervalMs: 50,
      what: `${this.kind} to reload its configuration (generation ${generation}); see \`lblab logs balancer\``,
    });
  }

  /** `ok <generation>` from the admin port, or undefined when it does not answer. */
  protected async adminHealth(): Promise<string | undefined> {
    try {
      const response = await fetch(`${this.adminUrl}/health`, { signal: AbortSignal.timeout(1_000) });
      return (await response.text()).trim();
    } catch {
      return undefined;
    }
  }

  /** A request to one server through the admin port's /server/<name>/ route. */
  protected async serverRequest(method: string, server: string, path: string, body?: unknown, timeoutMs = ADMIN_TIMEOUT_MS): Promise<unknown> {
    const url = `${this.adminUrl}/server/${encodeURIComponent(server)}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new LabError('LBLAB_ADMIN', `${method} ${url} got no answer: ${(error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new LabError('LBLAB_ADMIN', `${method} ${url} failed with ${response.status}: ${text.slice(0, 200)}`);
    try {
      return text === '' ? {} : JSON.parse(text);
    } catch {
      return text;
    }
  }
}
