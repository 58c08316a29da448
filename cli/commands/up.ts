import type { Command } from 'commander';
import { ALGORITHM_NAMES } from '../../balancer/algorithms/algorithm.js';
import { DEFAULT_HEALTH } from '../../balancer/config.js';
import { up } from '../lab/up.js';
import { parseChoice, parseDurationMs, parseInteger } from '../options/parse.js';
import { RUNTIME_CHOICES } from '../runtime/select-runtime.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';

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
    .action(async (flags: UpFlags, command: Command) => {
      const port = parseInteger('--port', flags.port, { min: 1, max: 65534 });
      const result = await up({
        lab: labOf(command),
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
        log: io.err,
      });
      io.out(
        `lab ${result.record.lab} is up in ${(result.elapsedMs / 1000).toFixed(1)} s (${result.record.runtime} runtime): ` +
          `${result.servers.length} ${result.record.app} servers behind ${result.record.algorithm}\n` +
          `  balancer  ${result.url}\n  admin     ${result.adminUrl}\n  servers   ${result.servers.join(', ')}`,
      );
    });
}
