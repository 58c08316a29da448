import type { Command } from 'commander';
import { formatTable } from '../report/text-table.js';
import { isLabError } from '../errors.js';
import { listBuiltinScenarios } from '../scenario/builtins.js';
import type { CommandIo } from './io.js';

export function registerScenarios(program: Command, io: CommandIo): void {
  program
    .command('scenarios')
    .description('list the built-in scenarios (run one with `lblab run <name>`)')
    .action(async () => {
      // Loaded on use: the scenario schema pulls in zod and yaml, which every other command can do without.
      const { loadScenarioFile } = await import('../scenario/load-scenario.js');
      const rows: string[][] = [];
      for (const builtin of await listBuiltinScenarios()) {
        const description = await loadScenarioFile(builtin.file).then(
          (scenario) => scenario.description ?? '',
          (error: unknown) => `(invalid: ${isLabError(error) ? (error.message.split('\n')[0] ?? '') : String(error)})`,
        );
        rows.push([builtin.name, description.replace(/\s+/g, ' ').trim()]);
      }
      io.out(rows.length === 0 ? 'no built-in scenarios found' : formatTable(['SCENARIO', 'DESCRIPTION'], rows));
    });
}
