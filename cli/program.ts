import { Command } from 'commander';
import { registerAdd } from './commands/add.js';
import { registerAlgorithm } from './commands/algorithm.js';
import { registerCompare } from './commands/compare.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDown } from './commands/down.js';
import { registerFault } from './commands/fault.js';
import { addHelpExamples } from './commands/help-examples.js';
import { registerHelp } from './commands/help.js';
import { cliIo, type CommandIo } from './commands/io.js';
import { registerLoad } from './commands/load.js';
import { registerLogs } from './commands/logs.js';
import { registerMemberAction } from './commands/member-action.js';
import { registerRestart } from './commands/restart.js';
import { nameArg, parsedOption } from './commands/option-parsers.js';
import { registerRm } from './commands/rm.js';
import { registerRun } from './commands/run.js';
import { registerScale } from './commands/scale.js';
import { registerScenarios } from './commands/scenarios.js';
import { registerStats } from './commands/stats.js';
import { registerStatus } from './commands/status.js';
import { registerUp } from './commands/up.js';

export const VERSION = '0.1.0';

/** The lblab command line: one file per verb under commands/. */
export function createProgram(baseIo: CommandIo): Command {
  // --quiet is read when a verb writes, after the parse: see cliIo.
  const io = cliIo(baseIo, () => program.opts<{ quiet?: boolean }>().quiet === true);
  const program = new Command('lblab')
    .description('a load-balancer lab in one command: sample servers, a real balancer, load and chaos scenarios')
    .version(VERSION)
    .option('-q, --quiet', 'for scripts: no progress or confirmation lines; results, warnings and errors stay')
    .addOption(parsedOption('--lab <name>', 'lab name, so several labs can run side by side', nameArg, { value: 'lblab' }))
    .showHelpAfterError('(run `lblab help` for the commands)')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .exitOverride();
  registerUp(program, io);
  registerDown(program, io);
  registerStatus(program, io);
  for (const action of ['kill', 'revive', 'pause', 'unpause'] as const) registerMemberAction(program, io, action);
  registerAdd(program, io);
  registerRm(program, io);
  registerAlgorithm(program, io);
  registerFault(program, io);
  registerLogs(program);
  registerLoad(program, io);
  registerRestart(program, io);
  registerScale(program, io);
  registerStats(program, io);
  registerDashboard(program, io);
  registerScenarios(program, io);
  registerRun(program, io);
  registerCompare(program, io);
  registerHelp(program, io);
  addHelpExamples(program);
  return program;
}
