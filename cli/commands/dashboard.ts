import type { Command } from 'commander';
import { isInteractive } from '../dashboard/interactive.js';
import { LabError } from '../errors.js';
import { openLab } from '../lab/open-lab.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';
import { processInterruption } from '../lab/interruption.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000 } as const;

/** `250ms`, `1.5s`, `2m`, or a bare number in `bareUnit`; within [minMs, maxMs]. */
export function parseDashboardDuration(
  option: string,
  value: string,
  bareUnit: keyof typeof UNIT_MS,
  range: { readonly minMs: number; readonly maxMs: number },
): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = match === null ? Number.NaN : Math.round(Number(match[1]) * UNIT_MS[(match[2] as keyof typeof UNIT_MS | undefined) ?? bareUnit]);
  if (!Number.isFinite(ms) || ms < range.minMs || ms > range.maxMs) {
    throw new LabError(
      'LBLAB_BAD_INPUT',
      `${option} must be a duration from ${range.minMs} ms to ${range.maxMs} ms like 250ms, 30s or 2m, got ${JSON.stringify(value)}`,
      { exitCode: 2 },
    );
  }
  return ms;
}

interface DashboardFlags {
  readonly interval: string;
  readonly once?: boolean;
  readonly duration?: string;
}

export function registerDashboard(program: Command, io: CommandIo): void {
  program
    .command('dashboard')
    .description('live view of the lab: servers, health, traffic and balancer events (q quits; k kill, r revive, a algorithm)')
    .option('--interval <duration>', 'how often to ask the balancer for its stats', '250ms')
    .option('--once', 'print one snapshot and exit')
    .option('--duration <duration>', 'stop after this long (a bare number is seconds), e.g. 30s')
    .action(async (flags: DashboardFlags, command: Command) => {
      const statsIntervalMs = parseDashboardDuration('--interval', flags.interval, 'ms', { minMs: 50, maxMs: 10_000 });
      const durationMs =
        flags.duration === undefined ? undefined : parseDashboardDuration('--duration', flags.duration, 's', { minMs: 1, maxMs: 7 * 24 * 3_600_000 });
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
