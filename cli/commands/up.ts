import type { Command } from 'commander';
import { ALGORITHM_NAMES } from '../../balancer/algorithms/algorithm.js';
import {
  DEFAULT_FANOUT,
  DEFAULT_HEALTH,
  DEFAULT_OUTLIER,
  DEFAULT_RETRIES,
  type BalancerConfig,
  type RouteRule,
} from '../../balancer/config/config.js';
import { isInvalidFieldError } from '../../balancer/config/invalid-field-error.js';
import { formatRouteRule, parseRouteRules } from '../../balancer/config/route-rule.js';
import { LabError } from '../errors.js';
import { up } from '../lab/up.js';
import { parseChoice, parseDurationInRange, parseDurationMs, parseInteger, parsePercent } from './option-parsers.js';
import { RUNTIME_CHOICES } from '../runtime/select-runtime.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';
import { whileStarting } from '../lab/while-starting.js';

interface UpFlags {
  servers: string;
  app: string;
  algorithm: string;
  port: string;
  adminPort?: string;
  runtime: string;
  rebuild?: boolean;
  health: boolean;
  healthInterval: string;
  healthTimeout: string;
  fall: string;
  rise: string;
  fanout: boolean;
  fanoutRoutes: string;
  fanoutServers: string;
  fanoutBase: string;
  fanoutCap: string;
  fanoutDeadline: string;
  retries: string;
  retryBase: string;
  retryCap: string;
  retryBudget: string;
  retryMin: string;
  retryRoutes: string;
  ejection: boolean;
  ejectAfter: string;
  ejectTime: string;
  ejectMaxTime: string;
  ejectMaxPercent: string;
  adminAuth: string;
}

const routeList = (routes: readonly RouteRule[]): string => routes.map(formatRouteRule).join(',');

function badInput(message: string): LabError {
  return new LabError('LBLAB_BAD_INPUT', message, { exitCode: 2 });
}

function parseRoutes(option: string, value: string): readonly RouteRule[] {
  try {
    return parseRouteRules(option, value);
  } catch (error) {
    if (isInvalidFieldError(error)) throw badInput(error.message);
    throw error;
  }
}

function notBelow(option: string, ms: number, otherOption: string, otherMs: number): void {
  if (ms < otherMs) throw badInput(`${option} must be at least ${otherOption} (${otherMs}ms), got ${ms}ms`);
}

/** The fan-out, retry and passive-ejection flags as balancer settings (see balancer/README.md). */
export function resilienceSettings(flags: UpFlags): Pick<BalancerConfig, 'fanout' | 'retries' | 'outlier'> {
  const backoff = { min: 1, max: 60_000 };
  const fanoutBase = parseDurationInRange('--fanout-base', flags.fanoutBase, backoff);
  const fanoutCap = parseDurationInRange('--fanout-cap', flags.fanoutCap, backoff);
  notBelow('--fanout-cap', fanoutCap, '--fanout-base', fanoutBase);
  const retryBase = parseDurationInRange('--retry-base', flags.retryBase, backoff);
  const retryCap = parseDurationInRange('--retry-cap', flags.retryCap, backoff);
  notBelow('--retry-cap', retryCap, '--retry-base', retryBase);
  const ejectTime = parseDurationInRange('--eject-time', flags.ejectTime, { min: 1, max: 3_600_000 });
  const ejectMaxTime = parseDurationInRange('--eject-max-time', flags.ejectMaxTime, { min: 1, max: 3_600_000 });
  notBelow('--eject-max-time', ejectMaxTime, '--eject-time', ejectTime);
  return {
    fanout: {
      ...DEFAULT_FANOUT,
      enabled: flags.fanout,
      routes: parseRoutes('--fanout-routes', flags.fanoutRoutes),
      servers: flags.fanoutServers.trim() === 'all' ? 'all' : parseInteger('--fanout-servers', flags.fanoutServers, { min: 1, max: 64 }),
      baseMs: fanoutBase,
      capMs: fanoutCap,
      deadlineMs: parseDurationInRange('--fanout-deadline', flags.fanoutDeadline, { min: 1, max: 600_000 }),
    },
    retries: {
      ...DEFAULT_RETRIES,
      count: parseInteger('--retries', flags.retries, { min: 0, max: 10 }),
      baseMs: retryBase,
      capMs: retryCap,
      budgetPercent: parsePercent('--retry-budget', flags.retryBudget),
      minRetryConcurrency: parseInteger('--retry-min', flags.retryMin, { min: 0, max: 100_000 }),
      routes: parseRoutes('--retry-routes', flags.retryRoutes),
    },
    outlier: {
      enabled: flags.ejection,
      consecutive5xx: parseInteger('--eject-after', flags.ejectAfter, { min: 1, max: 1_000 }),
      baseEjectionMs: ejectTime,
      maxEjectionMs: ejectMaxTime,
      maxEjectionPercent: parsePercent('--eject-max-percent', flags.ejectMaxPercent),
    },
  };
}

export function registerUp(program: Command, io: CommandIo): void {
  program
    .command('up')
    .description('start N sample servers and the balancer, and return once all are healthy')
    .option('--servers <n>', 'number of sample servers', '3')
    .option('--app <app>', 'sample app: factorial or greeting', 'factorial')
    .option('--algorithm <name>', `balancing algorithm: ${ALGORITHM_NAMES.join(', ')}`, 'round-robin')
    .option('--port <port>', 'balancer data port on 127.0.0.1', '8080')
    .option('--admin-port <port>', 'balancer admin port on 127.0.0.1 (default: port + 1)')
    .option('--runtime <runtime>', 'auto, docker or process', 'auto')
    .option('--rebuild', 'docker: build the images even when cached ones match')
    .option('--no-health', 'switch active health checks off')
    .option('--health-interval <duration>', 'time between health checks', `${DEFAULT_HEALTH.intervalMs}ms`)
    .option('--health-timeout <duration>', 'time a health check may take', `${DEFAULT_HEALTH.timeoutMs}ms`)
    .option('--fall <n>', 'failed checks in a row that take a server down', String(DEFAULT_HEALTH.fall))
    .option('--rise <n>', 'passed checks in a row that bring it back', String(DEFAULT_HEALTH.rise))
    .option('--fanout-routes <routes>', 'routes sent to every server at once, first 2xx wins', routeList(DEFAULT_FANOUT.routes))
    .option('--no-fanout', 'switch POST fan-out off')
    .option('--fanout-servers <all|n>', 'servers each fan-out round goes to', String(DEFAULT_FANOUT.servers))
    .option('--fanout-base <duration>', 'fan-out backoff base', `${DEFAULT_FANOUT.baseMs}ms`)
    .option('--fanout-cap <duration>', 'fan-out backoff cap', `${DEFAULT_FANOUT.capMs}ms`)
    .option('--fanout-deadline <duration>', 'time a fan-out may take before 502', `${DEFAULT_FANOUT.deadlineMs}ms`)
    .option('--retries <n>', 'retries of a failed idempotent request on another server (0: off)', String(DEFAULT_RETRIES.count))
    .option('--retry-base <duration>', 'retry backoff base', `${DEFAULT_RETRIES.baseMs}ms`)
    .option('--retry-cap <duration>', 'retry backoff cap', `${DEFAULT_RETRIES.capMs}ms`)
    .option('--retry-budget <percent>', 'retries in progress at most this % of active requests', String(DEFAULT_RETRIES.budgetPercent))
    .option('--retry-min <n>', 'retries in progress always allowed, whatever the budget', String(DEFAULT_RETRIES.minRetryConcurrency))
    .option('--retry-routes <routes>', 'non-idempotent routes retried too, e.g. "POST /orders"', routeList(DEFAULT_RETRIES.routes))
    .option('--no-ejection', 'switch passive ejection (outlier detection) off')
    .option('--eject-after <n>', 'consecutive 5xx or connection errors that eject a server', String(DEFAULT_OUTLIER.consecutive5xx))
    .option('--eject-time <duration>', 'first ejection time (x n for the n-th in a row)', `${DEFAULT_OUTLIER.baseEjectionMs}ms`)
    .option('--eject-max-time <duration>', 'longest ejection', `${DEFAULT_OUTLIER.maxEjectionMs}ms`)
    .option('--eject-max-percent <percent>', 'share of servers ejected at once at most', String(DEFAULT_OUTLIER.maxEjectionPercent))
    .option('--admin-auth <mode>', "token: the admin API and the servers' fault routes want the lab's token (kept in .lblab/<lab>/token); none: open to anyone on this machine", 'token')
    .action(async (flags: UpFlags, command: Command) => {
      const port = parseInteger('--port', flags.port, { min: 1, max: 65534 });
      const lab = labOf(command);
      const adminAuth = parseChoice('--admin-auth', flags.adminAuth, ['token', 'none'] as const);
      const result = await whileStarting(lab, io, (signal) => up({
        lab,
        adminAuth,
        signal,
        servers: parseInteger('--servers', flags.servers, { min: 1, max: 64 }),
        app: parseChoice('--app', flags.app, ['factorial', 'greeting'] as const),
        algorithm: parseChoice('--algorithm', flags.algorithm, ALGORITHM_NAMES),
        port,
        adminPort: flags.adminPort === undefined ? port + 1 : parseInteger('--admin-port', flags.adminPort, { min: 1, max: 65535 }),
        runtime: parseChoice('--runtime', flags.runtime, RUNTIME_CHOICES),
        rebuild: flags.rebuild === true,
        health: {
          ...DEFAULT_HEALTH,
          enabled: flags.health,
          intervalMs: parseDurationMs('--health-interval', flags.healthInterval),
          timeoutMs: parseDurationMs('--health-timeout', flags.healthTimeout),
          fall: parseInteger('--fall', flags.fall, { min: 1, max: 100 }),
          rise: parseInteger('--rise', flags.rise, { min: 1, max: 100 }),
        },
        balancer: resilienceSettings(flags),
        log: io.err,
      }));
      io.out(
        `lab ${result.record.lab} is up in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.record.runtime} runtime): ` +
          `${result.servers.length} ${result.record.app} servers behind ${result.record.algorithm}\n` +
          `  balancer  ${result.url}\n  admin     ${result.adminUrl}\n  servers   ${result.servers.join(', ')}`,
      );
    });
}
