import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { choiceOption, integerArg, parsedOption } from './option-parsers.js';
import { formatSummaryTable } from '../report/summary-table.js';
import { RUNTIME_CHOICES, type RuntimeChoice } from '../runtime/select-runtime.js';
import { placementOption, registryOption, swarmChoicesOf, type SwarmFlags } from './swarm-flags.js';
import { formatPassTable } from '../report/compare-runs.js';
import { formatSplitTable } from '../report/split-table.js';
import { printPlainProgress } from '../dashboard/plain-progress.js';
import { resolveScenario } from '../scenario/resolve-scenario.js';
import type { CliIo } from './io.js';
import { scenarioLabName } from './run-lab-name.js';
import { labOf } from './lab-option.js';
import { processInterruption } from '../lab/interruption.js';
import { describeLeftovers } from '../lab/leftovers.js';

interface RunFlags {
  seed?: number;
  out?: string;
  reuse?: boolean;
  runtime?: RuntimeChoice;
  placement?: SwarmFlags['placement'];
  registry?: string;
  port?: number;
  live?: boolean;
  record?: boolean;
  json?: boolean;
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

export function registerRun(program: Command, io: CliIo): void {
  program
    .command('run <scenario> [name]')
    .description('run a scenario (a built-in name or a YAML file): load, actions, thresholds; writes results with charts')
    .addOption(
      parsedOption('--seed <n>', "seed of the key spread and other randomness (default: the scenario's, else 1)", integerArg({ min: 0, max: 2 ** 32 - 1 })),
    )
    .option('--out <dir>', 'results folder (default: results/<yyyymmdd-hhmmss>-<scenario>)')
    .option('--reuse', 'use the lab already up (--lab, default lblab) when it matches the scenario, and leave it up')
    .addOption(choiceOption('--runtime <runtime>', "where the lab runs: docker, swarm, process or auto (default: the scenario's, else auto)", RUNTIME_CHOICES))
    .addOption(placementOption())
    .addOption(registryOption())
    .addOption(parsedOption('--port <port>', 'balancer data port on 127.0.0.1, admin port + 1 (default: a free pair)', integerArg({ min: 1, max: 65_534 })))
    .option('--live', 'show the live dashboard instead of progress lines')
    .option('--record', 'also write the request schedule (schedule.tsv) beside the results, for a replay phase')
    .option('--json', 'print summary.json to stdout (progress still goes to stderr)')
    .addHelpText(
      'after',
      `
Progress lines (stderr, each second): time, requests so far, req/s and p50/p99
of the last second, err = errors so far (status >= 500 or no response),
dropped = open-model requests due while maxInFlight were in flight (never
sent), each server's share of the last second. The summary adds cancelled =
requests in flight when a phase was cut short. The lab is <scenario>-<pid>
unless --lab is given. More: lblab help results, README.md.`,
    )
    .action(async (first: string, second: string | undefined, flags: RunFlags, command: Command) => {
      const reuse = flags.reuse === true;
      const { seed, port, runtime } = flags;
      const lab = runLabName(command, reuse, scenarioArgument(first, second));
      const location = await resolveScenario(scenarioArgument(first, second));
      // Loaded on use: the scenario engine pulls in the schema, the load generator and the charts.
      const { loadScenarioFile } = await import('../scenario/load-scenario.js');
      const { runScenario } = await import('../scenario/run-scenario.js');
      const scenario = await loadScenarioFile(location.file, location.source);

      // The live view's q stops the run as a signal does.
      const quit = new AbortController();
      const interruption = processInterruption();
      const claim = interruption.claim({
        onFirst: (signal) =>
          io.err(
            `${signal}: stopping the load, writing what was measured` +
              `${reuse ? '' : ` and tearing down lab ${lab}`} (send it again to quit at once)`,
          ),
        onSecond: async (signal) =>
          io.err(`${signal} again: quitting without waiting.\n${reuse ? `lab ${lab} stays up (--reuse)` : await describeLeftovers(lab)}`),
      });
      try {
        const run = runScenario({
          scenario,
          lab,
          reuse,
          signal: AbortSignal.any([interruption.signal, quit.signal]),
          ...(seed === undefined ? {} : { seed }),
          ...(port === undefined ? {} : { port }),
          ...(runtime === undefined ? {} : { runtime }),
          swarm: swarmChoicesOf(flags),
          ...(flags.out === undefined ? {} : { outDir: flags.out }),
          ...(flags.record === true ? { record: true } : {}),
        });
        let finishLive = async (): Promise<void> => undefined;
        if (flags.live === true) {
          const { attachLiveView } = await import('../dashboard/live-view.js');
          finishLive = attachLiveView(run, { scenario: scenario.name, write: io.err, onQuit: () => quit.abort(), columns: process.stderr.columns ?? 80 });
        } else {
          printPlainProgress(run, io.info);
        }
        const result = await run.result.finally(() => finishLive());
        if (flags.json === true) {
          io.out(JSON.stringify(result.summary, null, 2));
          io.info(`results: ${result.resultsDir}`);
        } else if (io.quiet()) {
          // For scripts: the results folder alone, `dir=$(lblab -q run x)`.
          io.out(result.resultsDir);
        } else {
          // Under --live the dashboard's closing screen was the summary: only what it does not show.
          if (flags.live !== true) io.out(formatSummaryTable(result.summary));
          if (result.passes.some((pass) => pass.lab.pass !== undefined)) io.out(`split by pass:\n${formatSplitTable(result.passes)}`);
          else if (result.passes.length > 0) io.out(`by algorithm:\n${formatPassTable(result.passes)}`);
          io.out(`results: ${result.resultsDir}`);
        }
        const code = result.summary.balancerDied === undefined ? 'LBLAB_THRESHOLD' : 'LBLAB_BALANCER_DIED';
        if (result.failures.length > 0) throw new LabError(code, result.failures.join('\n'), { exitCode: 1 });
      } finally {
        claim.release();
      }
    });
}
