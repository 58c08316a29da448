import type { Command } from 'commander';
import { LabError } from '../errors.js';
import { HELP_TOPICS } from '../help-topics/index.js';
import type { CommandIo } from './io.js';

const topicNames = (): string => HELP_TOPICS.map((topic) => topic.name).join(', ');

/**
 * `lblab help [command|topic]`, in place of commander's own help command:
 * no name or a command's name shows commander's help as before; a topic's
 * name prints that topic (a topic wins over a command of the same name).
 */
export function registerHelp(program: Command, io: CommandIo): void {
  program.helpCommand(false);
  const width = Math.max(...HELP_TOPICS.map((topic) => topic.name.length));
  program.addHelpText(
    'after',
    `\nTopics (lblab help <topic>):\n${HELP_TOPICS.map((topic) => `  ${topic.name.padEnd(width)}  ${topic.summary}`).join('\n')}`,
  );
  program
    .command('help [name]')
    .description(`show the help of a command, or a topic: ${topicNames()}`)
    .action((name: string | undefined) => {
      // help() prints and ends the parse with commander's helpDisplayed, as commander's own help command does.
      if (name === undefined) program.help();
      const command = program.commands.find((candidate) => candidate.name() === name || candidate.aliases().includes(name));
      const topic = HELP_TOPICS.find((candidate) => candidate.name === name);
      // A topic wins over a command of the same name (scenarios); that command's help is one flag away.
      if (topic !== undefined) {
        io.out(command === undefined ? topic.text : `${topic.text}\n(the command: lblab ${name} --help)`);
        return;
      }
      if (command !== undefined) command.help();
      throw new LabError(
        'LBLAB_BAD_INPUT',
        `help: "${name}" is neither a command nor a topic; topics: ${topicNames()}. The commands: lblab help`,
      );
    });
}
