import type { Command } from 'commander';
import { ALGORITHM_NAMES } from '../../balancer/algorithms/algorithm.js';
import { DEFAULT_FANOUT, DEFAULT_HEALTH, DEFAULT_OUTLIER, DEFAULT_RETRIES, type RouteRule } from '../../balancer/config/config.js';
import { formatRouteRule } from '../../balancer/config/route-rule.js';
import { BALANCER_MODES, HEALTH_CHECK_KINDS } from '../../balancer/config/mode-parse.js';
import { MAX_LAB_SERVERS } from '../lab/lab-limits.js';
import { up } from '../lab/up.js';
import { RUNTIME_CHOICES } from '../runtime/select-runtime.js';
import type { CliIo } from './io.js';
import { labOf } from './lab-option.js';
import { choiceOption, durationArg, integerArg, parsedOption, percentArg } from './option-parsers.js';
import { labFileOverrides } from './up-lab-file.js';
import { capacityOption, portBaseOption, seedKnobSettings, usernamesOption, weightsOption, type SeedKnobFlags } from './seed-knob-flags.js';
import { parseRouteFlag, parseServerCountFlag, upSettings, type UpFlags } from './up-settings.js';
import { BALANCER_KINDS } from '../balancers/balancer-kind.js';
import { whileStarting } from '../lab/while-starting.js';
import { placementOption, registryOption, swarmChoicesOf, type SwarmFlags } from './swarm-flags.js';

const routeList = (routes: readonly RouteRule[]): string => routes.map(formatRouteRule).join(',');

const ms = (value: number): { value: number; text: string } => ({ value, text: `${value}ms` });
const duration = durationArg();

export function registerUp(program: Command, io: CliIo): void {
  program
    .command('up')
    .description('start N sample servers and the balancer, and return once all are healthy')
    .addOption(parsedOption('--servers <n>', 'number of sample servers', integerArg({ min: 1, max: MAX_LAB_SERVERS }), { value: 3 }))
    .addOption(choiceOption('--app <app>', 'sample app', ['factorial', 'greeting'] as const, 'factorial'))
    .addOption(weightsOption())
    .addOption(capacityOption())
    .addOption(usernamesOption())
    .addOption(portBaseOption())
    .option('-f, --file <lab.yaml>', "a lab file: the lab's fields (servers, app, algorithm, weights, ...) or a scenario whose lab: block is used")
    .option('--seed-api', "also serve seed 001's GET /rep, POST /add and DELETE /rm on the data port (same JSON), not only on the admin port")
    .addOption(choiceOption('--algorithm <name>', 'balancing algorithm', ALGORITHM_NAMES, 'round-robin'))
    .addOption(choiceOption('--mode <mode>', 'http: balance each request; tcp: relay each client connection to one server (layer 4)', BALANCER_MODES, 'http'))
    .addOption(parsedOption('--port <port>', 'balancer data port on 127.0.0.1', integerArg({ min: 1, max: 65_534 }), { value: 8080 }))
    .addOption(parsedOption('--admin-port <port>', 'balancer admin port on 127.0.0.1 (default: port + 1)', integerArg({ min: 1, max: 65_535 })))
    .addOption(choiceOption('--runtime <runtime>', 'where the lab runs: docker containers, swarm services (needs a swarm manager), or local processes', RUNTIME_CHOICES, 'auto'))
    .option('--workers <n|auto>', "lblab's balancer: processes that share the data port (auto: one per core; default 1, a single process)")
    .addOption(choiceOption('--balancer <kind>', 'the balancer: lblab (its own), haproxy or nginx', BALANCER_KINDS, 'lblab'))
    .option('--closest', 'haproxy, nginx: use the closest equivalent of a setting they lack instead of refusing')
    .option('--rebuild', 'docker: build the images even when cached ones match')
    .option('--no-health', 'switch active health checks off')
    .addOption(parsedOption('--health-interval <duration>', 'time between health checks', duration, ms(DEFAULT_HEALTH.intervalMs)))
    .addOption(parsedOption('--health-timeout <duration>', 'time a health check may take', duration, ms(DEFAULT_HEALTH.timeoutMs)))
    .addOption(parsedOption('--fall <n>', 'failed checks in a row that take a server down', integerArg(), { value: DEFAULT_HEALTH.fall }))
    .addOption(parsedOption('--rise <n>', 'passed checks in a row that bring it back', integerArg(), { value: DEFAULT_HEALTH.rise }))
    .addOption(choiceOption('--health-check <kind>', 'http (GET /health) or tcp (a connect); default: tcp with --mode tcp, else http', HEALTH_CHECK_KINDS))
    .addOption(
      parsedOption('--fanout-routes <routes>', 'routes sent to every server at once, first 2xx wins', parseRouteFlag, {
        value: DEFAULT_FANOUT.routes,
        text: routeList(DEFAULT_FANOUT.routes),
      }),
    )
    .option('--no-fanout', 'switch POST fan-out off')
    .addOption(parsedOption('--fanout-servers <all|n>', 'servers each fan-out round goes to', parseServerCountFlag, { value: DEFAULT_FANOUT.servers }))
    .addOption(parsedOption('--fanout-base <duration>', 'fan-out backoff base', duration, ms(DEFAULT_FANOUT.baseMs)))
    .addOption(parsedOption('--fanout-cap <duration>', 'fan-out backoff cap', duration, ms(DEFAULT_FANOUT.capMs)))
    .addOption(parsedOption('--fanout-deadline <duration>', 'time a fan-out may take before 502', duration, ms(DEFAULT_FANOUT.deadlineMs)))
    .addOption(
      parsedOption('--retries <n>', 'retries of a failed idempotent request on another server (0: off)', integerArg(), {
        value: DEFAULT_RETRIES.count,
      }),
    )
    .addOption(parsedOption('--retry-base <duration>', 'retry backoff base', duration, ms(DEFAULT_RETRIES.baseMs)))
    .addOption(parsedOption('--retry-cap <duration>', 'retry backoff cap', duration, ms(DEFAULT_RETRIES.capMs)))
    .addOption(
      parsedOption('--retry-budget <percent>', 'retries in progress at most this % of active requests', percentArg, {
        value: DEFAULT_RETRIES.budgetPercent,
      }),
    )
    .addOption(
      parsedOption('--retry-min <n>', 'retries in progress always allowed, whatever the budget', integerArg(), {
        value: DEFAULT_RETRIES.minRetryConcurrency,
      }),
    )
    .addOption(
      parsedOption('--retry-routes <routes>', 'non-idempotent routes retried too, e.g. "POST /orders"', parseRouteFlag, {
        value: DEFAULT_RETRIES.routes,
        text: routeList(DEFAULT_RETRIES.routes),
      }),
    )
    .option('--no-ejection', 'switch passive ejection (outlier detection) off')
    .addOption(
      parsedOption('--eject-after <n>', 'consecutive 5xx or connection errors that eject a server', integerArg(), {
        value: DEFAULT_OUTLIER.consecutive5xx,
      }),
    )
    .addOption(parsedOption('--eject-time <duration>', 'first ejection time (x n for the n-th in a row)', duration, ms(DEFAULT_OUTLIER.baseEjectionMs)))
    .addOption(parsedOption('--eject-max-time <duration>', 'longest ejection', duration, ms(DEFAULT_OUTLIER.maxEjectionMs)))
    .addOption(
      parsedOption('--eject-max-percent <percent>', 'share of servers ejected at once at most', percentArg, {
        value: DEFAULT_OUTLIER.maxEjectionPercent,
      }),
    )
    .addOption(
      choiceOption(
        '--admin-auth <mode>',
        "token: the admin API and the servers' fault routes want the lab's token (kept in .lblab/<lab>/token); none: open to anyone on this machine",
        ['token', 'none'] as const,
        'token',
      ),
    )
    .addOption(placementOption())
    .addOption(registryOption())
    .action(async (flags: UpFlags & SeedKnobFlags & SwarmFlags, command: Command) => {
      const settings = await upSettings(flags);
      const lab = labOf(command);
      const balancerSettings = flags.seedApi === true ? { ...settings.balancer, seedApi: true } : settings.balancer;
      const knobs = seedKnobSettings(flags, flags.servers, flags.algorithm);
      if (flags.seedApi === true) io.err(`--seed-api: GET /rep, POST /add and DELETE /rm on the data port answer without the lab's token, as seed 001's did`);
      const fileOverrides = await labFileOverrides(flags.file, command, balancerSettings);
      const result = await whileStarting(lab, io, (signal) => up({
        lab,
        adminAuth: flags.adminAuth,
        signal,
        servers: flags.servers,
        app: flags.app,
        algorithm: flags.algorithm,
        port: settings.port,
        adminPort: settings.adminPort,
        runtime: flags.runtime,
        swarm: swarmChoicesOf(flags),
        balancerKind: flags.balancer,
        closest: flags.closest === true,
        rebuild: flags.rebuild === true,
        health: settings.health,
        balancer: balancerSettings,
        log: io.info,
        ...knobs,
        ...fileOverrides,
      }));
      io.note(
        `lab ${result.record.lab} is up in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.record.runtime} runtime): ` +
          `${result.servers.length} ${result.record.app} servers behind ${result.record.balancer?.version ?? result.record.balancer?.kind ?? 'lblab'} (${result.record.algorithm})${flags.mode === 'tcp' ? ' in tcp mode (one server per connection)' : ''}\n` +
          `  balancer  ${result.url}\n  admin     ${result.adminUrl}\n  servers   ${result.servers.join(', ')}`,
      );
    });
}
