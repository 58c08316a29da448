import { describe, expect, it } from 'vitest';
import { createProgram } from '../../../cli/program.js';
import { HELP_TOPICS } from '../../../cli/help-topics/index.js';

async function help(...args: string[]): Promise<{ out: string; error: unknown }> {
  let out = '';
  const program = createProgram({ out: (text) => (out += `${text}\n`), err: () => {} });
  try {
    await program.parseAsync(['node', 'lblab', 'help', ...args]);
    return { out, error: undefined };
  } catch (error) {
    return { out, error };
  }
}

describe('lblab help <topic>', () => {
  it('lists at least scenarios, algorithms, results and runtimes', () => {
    expect(HELP_TOPICS.map((topic) => topic.name)).toEqual(expect.arrayContaining(['scenarios', 'algorithms', 'results', 'runtimes']));
  });

  for (const topic of HELP_TOPICS) {
    it(`${topic.name}: prints, at most 40 lines that fit 80 columns`, async () => {
      const { out, error } = await help(topic.name);
      expect(error).toBeUndefined();
      expect(out).toContain(topic.text);
      const lines = topic.text.split('\n');
      expect(lines.length).toBeLessThanOrEqual(40);
      expect(lines.filter((line) => line.length > 80)).toEqual([]);
    });
  }

  it('the algorithms topic names each of the nine', async () => {
    const { ALGORITHM_NAMES } = await import('../../../balancer/algorithms/algorithm.js');
    const { out } = await help('algorithms');
    for (const name of ALGORITHM_NAMES) expect(out).toMatch(new RegExp(`^${name} `, 'm'));
  });

  it('a topic named like a command (scenarios) prints the topic and points at the command', async () => {
    const { out } = await help('scenarios');
    expect(out).toContain('Phase kinds');
    expect(out.trimEnd().split('\n').at(-1)).toBe('(the command: lblab scenarios --help)');
  });

  it('an unknown topic is a usage error naming the value and listing the topics', async () => {
    const { error } = await help('nope');
    expect(error).toMatchObject({ code: 'LBLAB_BAD_INPUT', exitCode: 2 });
    const message = (error as Error).message;
    expect(message).toContain('"nope"');
    for (const topic of HELP_TOPICS) expect(message).toContain(topic.name);
  });

  it('help <command> still shows that command\'s help', async () => {
    const { out, error } = await help('up');
    expect(error).toMatchObject({ code: 'commander.help', exitCode: 0 });
    expect(out).toContain('Usage: lblab up [options]');
    expect(out).toContain('--runtime');
  });

  it('help alone shows the commands and the topics', async () => {
    const { out, error } = await help();
    expect(error).toMatchObject({ code: 'commander.help', exitCode: 0 });
    expect(out).toContain('Commands:');
    expect(out).toContain('Topics (lblab help <topic>):');
  });
});
