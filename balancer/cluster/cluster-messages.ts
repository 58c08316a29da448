// What the primary and its workers say to each other over the cluster's IPC
// channel (JSON). The primary owns the settings and the health checks; every
// change is one message, applied by each worker in the order sent.
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

import type { AlgorithmName, AlgorithmOptions } from '../algorithms/algorithm.js';
import type { BalancerEvent, BalancerStats } from '../api-types.js';
import type { BackendSpec, BalancerConfig, FanoutOptions, OutlierOptions, RetryOptions } from '../config/config.js';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** A change of the primary's state that every worker applies. */
export type ClusterChange =
  | { readonly kind: 'verdict'; readonly server: string; readonly to: 'up' | 'down'; readonly detail: string }
  | { readonly kind: 'add'; readonly spec: BackendSpec }
  | { readonly kind: 'remove'; readonly name: string }
  | { readonly kind: 'algorithm'; readonly name: AlgorithmName; readonly options: AlgorithmOptions }
  | { readonly kind: 'fanout'; readonly fanout: FanoutOptions }
  | { readonly kind: 'retries'; readonly retries: RetryOptions }
  | { readonly kind: 'outlier'; readonly outlier: OutlierOptions };

export type ToWorker =
  /** The primary's state when the worker was started: its config and the servers its checks say are up. */
  | { readonly kind: 'start'; readonly worker: number; readonly config: BalancerConfig; readonly up: readonly string[] }
  | ClusterChange
  | { readonly kind: 'ask'; readonly id: number; readonly what: 'stats' | 'metrics' }
  | { readonly kind: 'close'; readonly graceMs: number };

export type ToPrimary =
  /** The worker listens for messages (those sent before are lost): the primary sends `start` now. */
  | { readonly kind: 'hello' }
  | { readonly kind: 'listening'; readonly port: number }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'stats'; readonly id: number; readonly stats: BalancerStats }
  | { readonly kind: 'metrics'; readonly id: number; readonly metrics: MetricsJson }
  /** An event only a worker sees (a passive ejection, retry-budget refusals). */
  | { readonly kind: 'event'; readonly event: BalancerEvent };

export function isMessage<T extends { readonly kind: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
