import type { Command } from 'commander';

// Examples shown at the end of each command's --help, for the commands that do not add their own.
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  up: [
    'lblab up                        3 servers behind round-robin on :8080',
    'lblab up --servers 5 --algorithm least-connections --runtime process',
    'lblab up --algorithm weighted-round-robin --weights server1=3,server2=1',
    'lblab up --app greeting --usernames jack,tom,rob   seed 002: one user each',
  ],
  down: ['lblab down', 'lblab --lab blue down'],
  status: ['lblab status', 'lblab status --json'],
  kill: ['lblab kill server2', 'lblab --lab blue kill server1'],
  revive: ['lblab revive server2'],
  pause: ['lblab pause server2        the server accepts connections but never answers', 'lblab unpause server2'],
  unpause: ['lblab unpause server2'],
  add: ['lblab add                  adds the next free serverN', 'lblab add --n 2', 'lblab add s4 s5'],
  rm: ['lblab rm server3', 'lblab rm server4 server5'],
  algorithm: ['lblab algorithm                       prints the current one', 'lblab algorithm least-connections', 'lblab algorithm consistent-hash'],
  fault: ['lblab fault server2 --error-rate 0.3', 'lblab fault server2 --latency 100-300', 'lblab fault server2 --hang', 'lblab fault server2 --clear'],
  dashboard: ['lblab dashboard', 'lblab dashboard --once'],
  scenarios: ['lblab scenarios             lists the built-in scenarios'],
  run: [
    'lblab run kill-revive                    a built-in (see lblab scenarios)',
    'lblab run my-scenario.yaml --live        your file, the live dashboard',
    'lblab run distribution-1k --seed 7 --out results/dist-7',
    'lblab run algorithms --reuse             on the lab already up, left up after',
  ],
  help: ['lblab help                  the commands', 'lblab help up               the same as lblab up --help', 'lblab help algorithms       a topic (the list: lblab help)'],
  compare: ['lblab compare results/20260101-120000-kill-revive results/mine'],
};

/** Adds `Examples:` to every subcommand's help that has none of its own. */
export function addHelpExamples(program: Command): void {
  for (const command of program.commands) {
    const examples = EXAMPLES[command.name()];
    if (examples === undefined) continue;
    command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  ${line}`).join('\n')}`);
  }
}
