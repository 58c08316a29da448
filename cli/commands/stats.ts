import type { Command } from 'commander';
import { labUsage, type LabUsage } from '../lab/lab-usage.js';
import { openLab } from '../lab/open-lab.js';
import { formatBytes } from '../report/format-bytes.js';
import { formatTable } from '../report/text-table.js';
import type { CommandIo } from './io.js';
import { labOf } from './lab-option.js';
import { durationArg, parsedOption } from './option-parsers.js';

const dash = '--';

/** The `docker stats`-style table. */
export function formatUsage(usage: LabUsage): string {
  return formatTable(
    ['MEMBER', 'STATE', 'CPU %', 'MEMORY', 'REQUESTS', 'IN FLIGHT'],
    usage.members.map((m) => [
      m.name,
      m.state,
      m.cpuPercent === undefined ? dash : `${m.cpuPercent.toFixed(1)}%`,
      m.memoryBytes === undefined ? dash : `${formatBytes(m.memoryBytes)}${m.memoryLimitBytes === undefined ? '' : ` / ${formatBytes(m.memoryLimitBytes)}`}`,
      m.requests ?? dash,
      m.inFlight ?? dash,
    ]),
  );
}

interface StatsFlags {
  stream: boolean;
  json?: boolean;
  interval: number;
}

export function registerStats(program: Command, io: CommandIo): void {
  program
    .command('stats')
    .description("CPU %, memory and requests served per member, like docker stats (live until Ctrl-C unless --no-stream)")
    .option('--no-stream', 'print one sample and exit')
    .option('--json', 'print JSON (one object per sample)')
    .addOption(parsedOption('--interval <time>', 'time between samples when live', durationArg({ minMs: 500, maxMs: 60_000, bareUnit: 's' }), { value: 2_000, text: '2s' }))
    .addHelpText(
      'after',
      `
CPU % is the share of one core (200% = two cores busy). Requests are what the
balancer sent to each server since it started (for the balancer: every request
it answered); in flight: sent and not yet answered. Process runtime:
/proc/<pid>/stat and status; docker runtime: the engine's stats API.

Examples:
  lblab stats --no-stream
  lblab stats --no-stream --json
  lblab stats --interval 5s`,
    )
    .action(async (flags: StatsFlags, command: Command) => {
      const lab = await openLab(labOf(command));
      const print = (usage: LabUsage, redraw: boolean): void => {
        if (flags.json === true) io.out(JSON.stringify(usage, flags.stream ? undefined : null, flags.stream ? undefined : 2));
        else io.out(`${redraw ? '\u001b[H\u001b[2J' : ''}${formatUsage(usage)}`);
      };
      if (!flags.stream) {
        print(await labUsage(lab), false);
        return;
      }
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      try {
        const redraw = process.stdout.isTTY === true && flags.json !== true;
        while (!stop.signal.aborted) {
          const startedMs = Date.now();
          print(await labUsage(lab), redraw);
          const waitMs = Math.max(0, flags.interval - (Date.now() - startedMs));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
          });
        }
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}
