import type { Command } from 'commander';
import { findMember, openLab } from '../lab/open-lab.js';
import { integerArg, parseName, parsedOption } from './option-parsers.js';
import { labOf } from './lab-option.js';

export function registerLogs(program: Command): void {
  program
    .command('logs <member>')
    .description('print the logs of a server or of the balancer')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .addOption(parsedOption('--tail <lines>', 'lines to show from the end', integerArg({ min: 0, max: 1_000_000 }), { value: 100 }))
    .action(async (member: string, flags: { follow?: boolean; tail: number }, command: Command) => {
      const name = parseName('member', member);
      const lab = await openLab(labOf(command));
      await findMember(lab, name, { allowBalancer: true });
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await lab.runtime.logs(lab.record.lab, name, {
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
