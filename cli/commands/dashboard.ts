import type { Command } from 'commander';
import { isInteractive } from '../dashboard/interactive.js';
import { openLab } from '../lab/open-lab.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';
import { durationArg, parsedOption } from './option-parsers.js';
import { processInterruption } from '../lab/interruption.js';

interface DashboardFlags {
  readonly interval: number;
  readonly once?: boolean;
  readonly duration?: number;
}

export function registerDashboard(program: Command, io: CommandIo): void {
  program
    .command('dashboard')
    .description('live view of the lab: servers, health, traffic and balancer events (q quits; k kill, r revive, a algorithm)')
    .addOption(
      parsedOption('--interval <duration>', 'how often to ask the balancer for its stats', durationArg({ minMs: 50, maxMs: 10_000 }), {
        value: 250,
        text: '250ms',
      }),
    )
    .option('--once', 'print one snapshot and exit')
    .addOption(
      parsedOption(
        '--duration <duration>',
        'stop after this long (a bare number is seconds), e.g. 30s',
        durationArg({ minMs: 1, maxMs: 7 * 24 * 3_600_000, bareUnit: 's' }),
      ),
    )
    .action(async (flags: DashboardFlags, command: Command) => {
      const statsIntervalMs = flags.interval;
      const durationMs = flags.duration;
      const lab = await openLab(labOf(command));
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      // A signal closes the dashboard cleanly (terminal restored); the lab stays up, it was started by `up`.
      const interruption = processInterruption();
      const claim = interruption.claim({ onFirst: stop });
      const timer = durationMs === undefined ? undefined : setTimeout(stop, durationMs);
      try {
        // Loaded on use: Ink and React take longer to load than every other command needs.
        const { runLabDashboard } = await import('../dashboard/lab-dashboard.js');
        await runLabDashboard({
          lab,
          mode: flags.once === true ? 'once' : isInteractive() ? 'tty' : 'plain',
          out: io.out,
          signal: AbortSignal.any([controller.signal, interruption.signal]),
          statsIntervalMs,
          columns: process.stdout.isTTY === true ? process.stdout.columns : 80,
        });
      } finally {
        clearTimeout(timer);
        claim.release();
      }
    });
}
