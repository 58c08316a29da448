import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { choiceOption, integerArg, parsedOption } from './option-parsers.js';
import { formatSummaryTable } from '../report/summary-table.js';
import { RUNTIME_CHOICES, type RuntimeChoice } from '../runtime/select-runtime.js';
import { formatPassTable } from '../report/compare-runs.js';
import { formatSplitTable } from '../report/split-table.js';
import { printPlainProgress } from '../dashboard/plain-progress.js';
import { resolveScenario } from '../scenario/resolve-scenario.js';
import type { CommandIo } from './io.js';
import { scenarioLabName } from './run-lab-name.js';
import { labOf } from './lab-option.js';

interface RunFlags {
  seed?: number;
  out?: string;
  reuse?: boolean;
  runtime?: RuntimeChoice;
  port?: number;
  live?: boolean;
}

/** `run kill-revive`, or `run scenario kill-revive` as users write it. */
export function scenarioArgument(first: string, second: string | undefined): string {
  if (second === undefined) return first;
  if (first === 'scenario') return second;
  throw new LabError('LBLAB_BAD_INPUT', `run takes one scenario (a built-in name or a YAML file), got "${first}" and "${second}"`, { exitCode: 2 });
}

/** The lab a run uses: --lab when given; with --reuse the default lab; else a lab of its own, <scenario>-<pid>. */
function runLabName(command: Command, reuse: boolean, scenario: string): string {
  const source = command.parent?.getOptionValueSource('lab');
  if (reuse || (source !== undefined && source !== 'default')) return labOf(command);
  return scenarioLabName(scenario);
}

export function registerRun(program: Command, io: CommandIo): void {
  program
    .command('run <scenario> [name]')
    .description('run a scenario (a built-in name or a YAML file): load, actions, thresholds; writes results with charts')
    .addOption(
      parsedOption('--seed <n>', "seed of the key spread and other randomness (default: the scenario's, else 1)", integerArg({ min: 0, max: 2 ** 32 - 1 })),
    )
    .option('--out <dir>', 'results folder (default: results/<yyyymmdd-hhmmss>-<scenario>)')
    .option('--reuse', 'use the lab already up (--lab, default lblab) when it matches the scenario, and leave it up')
    .addOption(choiceOption('--runtime <runtime>', "where the lab runs (default: the scenario's, else auto)", RUNTIME_CHOICES))
    .addOption(parsedOption('--port <port>', 'balancer data port on 127.0.0.1, admin port + 1 (default: a free pair)', integerArg({ min: 1, max: 65_534 })))
    .option('--live', 'show the live dashboard instead of progress lines')
    .action(async (first: string, second: string | undefined, flags: RunFlags, command: Command) => {
      const reuse = flags.reuse === true;
      const { seed, port, runtime } = flags;
      const lab = runLabName(command, reuse, scenarioArgument(first, second));
      const location = await resolveScenario(scenarioArgument(first, second));
      // Loaded on use: the scenario engine pulls in the schema, the load generator and the charts.
      const { loadScenarioFile } = await import('../scenario/load-scenario.js');
      const { runScenario } = await import('../scenario/run-scenario.js');
      const scenario = await loadScenarioFile(location.file, location.source);

      const interrupt = new AbortController();
      const onSigint = (): void => {
        io.err('interrupted: stopping the load and tearing down (Ctrl-C again to quit at once)');
        interrupt.abort();
      };
      process.once('SIGINT', onSigint);
      try {
        const run = runScenario({
          scenario,
          lab,
          reuse,
          signal: interrupt.signal,
          ...(seed === undefined ? {} : { seed }),
          ...(port === undefined ? {} : { port }),
          ...(runtime === undefined ? {} : { runtime }),
          ...(flags.out === undefined ? {} : { outDir: flags.out }),
        });
        let finishLive = async (): Promise<void> => undefined;
        if (flags.live === true) {
          const { attachLiveView } = await import('../dashboard/live-view.js');
          finishLive = attachLiveView(run, { scenario: scenario.name, write: io.err, onQuit: () => interrupt.abort() });
        } else {
          printPlainProgress(run, io.err);
        }
        const result = await run.result.finally(() => finishLive());
        io.out(formatSummaryTable(result.summary));
        if (result.passes.some((pass) => pass.lab.pass !== undefined)) io.out(`split by pass:\n${formatSplitTable(result.passes)}`);
        else if (result.passes.length > 0) io.out(`by algorithm:\n${formatPassTable(result.passes)}`);
        io.out(`results: ${result.resultsDir}`);
        if (result.failures.length > 0) throw new LabError('LBLAB_THRESHOLD', result.failures.join('\n'), { exitCode: 1 });
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
