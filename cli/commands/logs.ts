import type { Command } from 'commander';
import { labLogs } from '../lab/lab-logs.js';
import { findMember, openLab } from '../lab/open-lab.js';
import { useColor } from '../lab/use-color.js';
import { integerArg, parseName, parsedOption } from './option-parsers.js';
import { labOf } from './lab-option.js';
import { parseSince } from './parse-since.js';

export function registerLogs(program: Command): void {
  program
    .command('logs [member]')
    .description('print the logs of a server or of the balancer; with no member, of all members interleaved with prefixes')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .addOption(parsedOption('--tail <lines>', 'lines to show from the end (of each member)', integerArg({ min: 0, max: 1_000_000 }), { value: 100 }))
    .addOption(parsedOption('--since <time>', 'only lines from this long ago (10s, 5m) or since this time (2026-01-31T10:00:00Z)', (flag, text) => parseSince(flag, text)))
    .addHelpText(
      'after',
      `
Prefixes are coloured on a terminal; set NO_COLOR=1 to turn colour off.

Examples:
  lblab logs                     every member's last 100 lines, in time order
  lblab logs -f --since 1m       the last minute, then follow all members
  lblab logs balancer -f         follow the balancer only
  lblab logs server2 --tail 20`,
    )
    .action(async (member: string | undefined, flags: { follow?: boolean; tail: number; since?: number }, command: Command) => {
      // Checked before the lab is opened: a bad name fails the same whether a lab is up or not.
      const only = member === undefined ? undefined : parseName('member', member);
      const lab = await openLab(labOf(command));
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        if (only === undefined || flags.since !== undefined) {
          if (only !== undefined) await findMember(lab, only, { allowBalancer: true });
          await labLogs(lab, {
            follow: flags.follow === true,
            tail: flags.tail,
            ...(flags.since === undefined ? {} : { sinceMs: flags.since }),
            ...(only === undefined ? {} : { only }),
            color: useColor(process.stdout),
            write: (text) => process.stdout.write(text),
            signal: stop.signal,
          });
          return;
        }
        await findMember(lab, only, { allowBalancer: true });
        await lab.runtime.logs(lab.record.lab, only, {
          follow: flags.follow === true,
          tail: flags.tail,
          out: process.stdout,
          signal: stop.signal,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
