import type { BalancerStats } from '../../balancer/api-types.js';
import type { FaultSpec } from '../runtime/runtime.js';
import { LabError } from '../errors.js';
import { describeRequestError } from './request-error.js';
import { bearerHeaders } from './lab-token.js';

const REQUEST_TIMEOUT_MS = 5_000;

export interface ReplicaList {
  readonly N: number;
  readonly replicas: readonly string[];
}

/** A sample server's fault state as its fault API returns it (latencyMs 0: none). */
export interface ServerFaultState {
  readonly errorRate: number;
  readonly latencyMs: number | readonly [number, number];
  readonly hang: boolean;
  readonly healthToo?: boolean;
  /** Workers (0: no limit); absent from servers older than the field. */
  readonly concurrency?: number;
}

/** Talks to a balancer's admin API (GET /stats, POST /add, ...). */
/**
 * Talks to a balancer's admin API (GET /stats, POST /add, ...), with the
 * lab's token when it has one. undici's request, not fetch: fetch refuses
 * ports on the Fetch standard's blocked list (5060, 5061, ...).
 */
export class AdminClient {
  constructor(
    readonly adminUrl: string,
    readonly token?: string,
  ) {}

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

  /** The server's whole fault state, read from its fault API through the balancer. */
  async fault(server: string): Promise<ServerFaultState> {
    return (await this.request<{ fault: ServerFaultState }>('GET', `/fault/${encodeURIComponent(server)}`)).fault;
  }

  async clearFault(server: string): Promise<unknown> {
    return this.request('DELETE', `/fault/${encodeURIComponent(server)}`);
  }

  private async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    let statusCode: number;
    let text: string;
    try {
      // Loaded on use: undici takes longer to load than commands that never call the admin API need.
      const { request } = await import('undici');
      const response = await request(`${this.adminUrl}${path}`, {
        method,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          ...bearerHeaders(this.token),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      statusCode = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new LabError(
        'LBLAB_ADMIN',
        `the balancer's admin API at ${this.adminUrl} did not answer ${method} ${path}: ${describeRequestError(error, timeoutMs)}`,
        { cause: error },
      );
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      throw new LabError('LBLAB_ADMIN', `${method} ${this.adminUrl}${path} answered ${statusCode} with non-JSON: ${text.slice(0, 200)}`, {
        cause: error,
      });
    }
    if (statusCode === 401) {
      throw new LabError(
        'LBLAB_ADMIN',
        `${method} ${this.adminUrl}${path} answered 401: ` +
          (this.token === undefined
            ? 'the admin API wants the lab\'s token and lblab has none for this lab (its state folder .lblab/<lab>/token is missing)'
            : 'the balancer refused the lab\'s token (.lblab/<lab>/token is not the one this balancer was started with)'),
      );
    }
    if (statusCode < 200 || statusCode >= 300) {
      const message = (parsed as { message?: unknown }).message;
      throw new LabError(
        'LBLAB_ADMIN',
        `${method} ${path} failed with ${statusCode}: ${typeof message === 'string' ? message : text.slice(0, 200)}`,
      );
    }
    return parsed as T;
  }
}
