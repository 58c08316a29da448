import type { BalancerStats } from '../../balancer/api-types.js';
import type { FaultSpec } from '../runtime/runtime.js';
import type { Dispatcher } from 'undici';
import { LabError } from '../errors.js';
import { describeFailure } from './admin-transport.js';

const REQUEST_TIMEOUT_MS = 5_000;

export interface ReplicaList {
  readonly N: number;
  readonly replicas: readonly string[];
}

/** Talks to a balancer's admin API (GET /stats, POST /add, ...). */
export class AdminClient {
  constructor(readonly adminUrl: string) {}

  stats(timeoutMs = REQUEST_TIMEOUT_MS): Promise<BalancerStats> {
    return this.request<BalancerStats>('GET', '/stats', undefined, timeoutMs);
  }

  async replicas(): Promise<ReplicaList> {
    return (await this.request<{ message: ReplicaList }>('GET', '/rep')).message;
  }

  async addServers(servers: readonly { name: string; url: string }[]): Promise<ReplicaList> {
    const body = { n: servers.length, hostnames: servers.map((s) => s.name), servers };
    return (await this.request<{ message: ReplicaList }>('POST', '/add', body)).message;
  }

  async removeServers(names: readonly string[]): Promise<ReplicaList> {
    return (await this.request<{ message: ReplicaList }>('DELETE', '/rm', { n: names.length, hostnames: names })).message;
  }

  async setAlgorithm(algorithm: string): Promise<void> {
    await this.request('PUT', '/algorithm', { algorithm });
  }

  async setFault(server: string, fault: FaultSpec): Promise<unknown> {
    return this.request('POST', `/fault/${encodeURIComponent(server)}`, fault);
  }

  async clearFault(server: string): Promise<unknown> {
    return this.request('DELETE', `/fault/${encodeURIComponent(server)}`);
  }

  private async request<T>(method: string, path: string, body?: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    let status: number;
    let text: string;
    try {
      // undici's request, not fetch: fetch refuses ports on the Fetch standard's blocked list (5060, 5061, ...).
      // Loaded on use, so that `lblab --help` and the verbs that never call the balancer do not load it.
      const { request } = await import('undici');
      const response = await request(`${this.adminUrl}${path}`, {
        method: method as Dispatcher.HttpMethod,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new LabError(
        'LBLAB_ADMIN',
        `the balancer's admin API at ${this.adminUrl} did not answer ${method} ${path}: ${describeFailure(error, timeoutMs)}`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      throw new LabError('LBLAB_ADMIN', `${method} ${this.adminUrl}${path} answered ${status} with non-JSON: ${text.slice(0, 200)}`, {
        cause: error,
      });
    }
    if (status < 200 || status > 299) {
      const message = (parsed as { message?: unknown }).message;
      throw new LabError('LBLAB_ADMIN', `${method} ${path} failed with ${status}: ${typeof message === 'string' ? message : text.slice(0, 200)}`);
    }
    return parsed as T;
  }
}
