import type { AlgorithmName, AlgorithmOptions } from '../../balancer/algorithms/algorithm.js';
import type { HealthCheckOptions, OutlierOptions } from '../../balancer/config/config.js';

/** One server as a generated configuration names it. */
export interface GeneratedServer {
  readonly name: string;
  /** `host:port` the balancer connects to (`127.0.0.1:40123`, `server1:3000`). */
  readonly address: string;
  readonly weight: number;
}

/** Where the balancer listens and keeps its files, as seen from inside its process or container. */
export interface BalancerPlacement {
  readonly listenHost: string;
  readonly port: number;
  readonly adminPort: number;
  /** Folder for the socket, pid file and temporary files. */
  readonly runDir: string;
  /** DNS server that resolves server names at run time (Docker's 127.0.0.11); absent when addresses are fixed. */
  readonly resolver?: string;
}

/**
 * Everything a HAProxy or nginx configuration is generated from: the lab's
 * settings (the same ones lblab's balancer takes) plus where it runs.
 */
export interface BalancerSettings {
  readonly placement: BalancerPlacement;
  readonly servers: readonly GeneratedServer[];
  readonly algorithm: AlgorithmName;
  readonly algorithmOptions: AlgorithmOptions;
  /** Query parameter hashed by consistent-hash. */
  readonly hashKeyParam: string;
  readonly health: HealthCheckOptions;
  readonly outlier: OutlierOptions;
  /** Retries of a failed request on another server (0: off). */
  readonly retries: number;
  readonly upstreamTimeoutMs: number;
  readonly queueTimeoutMs: number;
  /** Run with the closest documented equivalent where the kind lacks a setting, instead of refusing. */
  readonly closest: boolean;
  /** Counts the configurations written; the admin port's /health answers `ok <generation>`, so a reload is seen to have taken effect. */
  readonly generation?: number;
}

/** `host:port` of a server URL: http://server1:3000 -> server1:3000. */
export function addressOf(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? '443' : '80') : parsed.port;
  return `${parsed.hostname}:${port}`;
}

/** The connect timeout the generated configurations use: short, apart from the response timeout. */
export function connectTimeoutMs(settings: BalancerSettings): number {
  return Math.min(2_000, settings.upstreamTimeoutMs);
}
