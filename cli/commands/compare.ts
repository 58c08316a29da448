import type { Command } from 'commander';
import { formatRunComparison, readRunSummary } from '../report/compare-runs.js';
import type { CommandIo } from './io.js';

export function registerCompare(program: Command, io: CommandIo): void {
  program
    .command('compare <runA> <runB>')
    .description('compare two runs side by side (results folders or their summary.json)')
    .action(async (runA: string, runB: string) => {
      const [a, b] = await Promise.all([readRunSummary(runA), readRunSummary(runB)]);
      io.out(formatRunComparison({ label: runA, summary: a }, { label: runB, summary: b }));
    });
}
