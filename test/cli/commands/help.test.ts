import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../cli/program.js';

describe('lblab <command> --help', () => {
  const program = createProgram({ out: () => {}, err: () => {} });
  for (const command of program.commands) {
    it(`${command.name()}: shows 1 to 4 examples that use lblab, and the global --lab, in 80 columns`, () => {
      let help = '';
      command.configureOutput({ writeOut: (text) => (help += text) });
      command.outputHelp();
      expect(help).toContain('Global Options:');
      expect(help).toContain('--lab <name>');
      const examples = help.split('Examples:\n')[1]?.split('\n').filter((line) => line.startsWith('  lblab ')) ?? [];
      expect(examples.length).toBeGreaterThanOrEqual(1);
      expect(examples.length).toBeLessThanOrEqual(4);
      expect(help.split('\n').filter((line) => line.length > 80)).toEqual([]);
    });
  }
});
