// `lblab up` flags → balancer settings, checked by the balancer's own config
// parser: whatever limits the balancer enforces, the flags get too, with the
// message naming the flag instead of the config field.
import type { AlgorithmName } from '../../balancer/algorithms/algorithm.js';
import type { BalancerConfig, HealthCheckOptions, RouteRule } from '../../balancer/config/config.js';
import { isInvalidFieldError } from '../../balancer/config/invalid-field-error.js';
import { parseRouteRules } from '../../balancer/config/route-rule.js';
import { badInput } from './option-parsers.js';
import type { BalancerKind } from '../balancers/balancer-kind.js';

/** The typed values commander hands the `up` action. */
export interface UpFlags {
  readonly servers: number;
  readonly app: 'factorial' | 'greeting';
  readonly algorithm: AlgorithmName;
  readonly mode: 'http' | 'tcp';
  readonly healthCheck?: 'http' | 'tcp';
  readonly port: number;
  readonly adminPort?: number;
  readonly runtime: 'auto' | 'docker' | 'swarm' | 'process';
  readonly balancer: BalancerKind;
  readonly closest?: boolean;
  readonly adminAuth: 'token' | 'none';
  readonly rebuild?: boolean;
  readonly health: boolean;
  readonly healthInterval: number;
  readonly healthTimeout: number;
  readonly fall: number;
  readonly rise: number;
  readonly fanout: boolean;
  readonly fanoutRoutes: readonly RouteRule[];
  readonly fanoutServers: 'all' | number;
  readonly fanoutBase: number;
  readonly fanoutCap: number;
  readonly fanoutDeadline: number;
  readonly retries: number;
  readonly retryBase: number;
  readonly retryCap: number;
  readonly retryBudget: number;
  readonly retryMin: number;
  readonly retryRoutes: readonly RouteRule[];
  readonly ejection: boolean;
  readonly ejectAfter: number;
  readonly ejectTime: number;
  readonly ejectMaxTime: number;
  readonly ejectMaxPercent: number;
  /** `--workers`: as typed (`2`, `auto`); the balancer's parser checks it. */
  readonly workers?: string;
}

export interface UpSettings {
  readonly port: number;
  readonly adminPort: number;
  readonly health: HealthCheckOptions;
  readonly balancer: Pick<BalancerConfig, 'fanout' | 'retries' | 'outlier' | 'mode' | 'workers'>;
}

/** Config field → the flag that sets it; `ms` marks flags whose value the field holds in milliseconds. */
const FLAG_OF_FIELD: Readonly<Record<string, { readonly flag: string; readonly ms?: true }>> = {
  'config.port': { flag: '--port' },
  'config.adminPort': { flag: '--admin-port' },
  'config.algorithm': { flag: '--algorithm' },
  'config.mode': { flag: '--mode' },
  'config.workers': { flag: '--workers' },
  'config.health.check': { flag: '--health-check' },
  'config.health.intervalMs': { flag: '--health-interval', ms: true },
  'config.health.timeoutMs': { flag: '--health-timeout', ms: true },
  'config.health.fall': { flag: '--fall' },
  'config.health.rise': { flag: '--rise' },
  'config.fanout.routes': { flag: '--fanout-routes' },
  'config.fanout.servers': { flag: '--fanout-servers' },
  'config.fanout.baseMs': { flag: '--fanout-base', ms: true },
  'config.fanout.capMs': { flag: '--fanout-cap', ms: true },
  'config.fanout.deadlineMs': { flag: '--fanout-deadline', ms: true },
  'config.retries.count': { flag: '--retries' },
  'config.retries.baseMs': { flag: '--retry-base', ms: true },
  'config.retries.capMs': { flag: '--retry-cap', ms: true },
  'config.retries.budgetPercent': { flag: '--retry-budget' },
  'config.retries.minRetryConcurrency': { flag: '--retry-min' },
  'config.retries.routes': { flag: '--retry-routes' },
  'config.outlier.consecutive5xx': { flag: '--eject-after' },
  'config.outlier.baseEjectionMs': { flag: '--eject-time', ms: true },
  'config.outlier.maxEjectionMs': { flag: '--eject-max-time', ms: true },
  'config.outlier.maxEjectionPercent': { flag: '--eject-max-percent' },
};

const FIELDS_LONGEST_FIRST = Object.keys(FLAG_OF_FIELD).sort((a, b) => b.length - a.length);

/** The balancer's message with config fields replaced by the flags that set them. */
export function flagMessage(field: string, message: string): string {
  let text = message;
  for (const name of FIELDS_LONGEST_FIRST) text = text.replaceAll(name, FLAG_OF_FIELD[name]?.flag ?? name);
  const owner = FIELDS_LONGEST_FIRST.find((name) => field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`));
  return owner !== undefined && FLAG_OF_FIELD[owner]?.ms === true ? `${text} (milliseconds)` : text;
}

/** The route-rule flags' syntax (`POST /register,POST /signup`), checked by the balancer's route parser. */
export function parseRouteFlag(flag: string, text: string): readonly RouteRule[] {
  try {
    return parseRouteRules(flag, text);
  } catch (error) {
    if (isInvalidFieldError(error)) throw badInput(error.message, error);
    throw error;
  }
}

/** `all` or an integer; the balancer bounds the count. */
export function parseServerCountFlag(flag: string, text: string): 'all' | number {
  if (text.trim() === 'all') return 'all';
  if (!/^\d{1,9}$/.test(text.trim())) throw badInput(`${flag} must be "all" or an integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Checks the flags together with the balancer's config parser; throws LBLAB_BAD_INPUT (exit 2) naming the flag. */
export async function upSettings(flags: UpFlags): Promise<UpSettings> {
  // Loaded on use: the config parser builds algorithms, which `lblab --help` and the other verbs do without.
  const { parseBalancerConfig } = await import('../../balancer/config/config-parse.js');
  if (flags.workers !== undefined && flags.balancer !== 'lblab') {
    throw badInput(`--workers is a setting of lblab's balancer, not of --balancer ${flags.balancer} (HAProxy and nginx run as generated, one thread or worker)`);
  }
  const raw = {
    port: flags.port,
    adminPort: flags.adminPort ?? flags.port + 1,
    algorithm: flags.algorithm,
    mode: flags.mode,
    ...(flags.workers === undefined ? {} : { workers: /^\s*\d{1,9}\s*$/.test(flags.workers) ? Number(flags.workers) : flags.workers }),
    health: {
      enabled: flags.health,
      intervalMs: flags.healthInterval,
      timeoutMs: flags.healthTimeout,
      fall: flags.fall,
      rise: flags.rise,
      ...(flags.healthCheck === undefined ? {} : { check: flags.healthCheck }),
    },
    fanout: {
      enabled: flags.fanout,
      routes: flags.fanoutRoutes,
      servers: flags.fanoutServers,
      baseMs: flags.fanoutBase,
      capMs: flags.fanoutCap,
      deadlineMs: flags.fanoutDeadline,
    },
    retries: {
      count: flags.retries,
      baseMs: flags.retryBase,
      capMs: flags.retryCap,
      budgetPercent: flags.retryBudget,
      minRetryConcurrency: flags.retryMin,
      routes: flags.retryRoutes,
    },
    outlier: {
      enabled: flags.ejection,
      consecutive5xx: flags.ejectAfter,
      baseEjectionMs: flags.ejectTime,
      maxEjectionMs: flags.ejectMaxTime,
      maxEjectionPercent: flags.ejectMaxPercent,
    },
  };
  let config: BalancerConfig;
  try {
    ({ config } = parseBalancerConfig(raw));
  } catch (error) {
    if (isInvalidFieldError(error)) throw badInput(flagMessage(error.field, error.message), error);
    throw error;
  }
  return {
    port: config.port,
    adminPort: config.adminPort,
    health: config.health,
    balancer: {
      fanout: config.fanout,
      retries: config.retries,
      outlier: config.outlier,
      ...(config.mode === 'tcp' ? { mode: config.mode } : {}),
      ...(config.workers === undefined ? {} : { workers: config.workers }),
    },
  };
}
