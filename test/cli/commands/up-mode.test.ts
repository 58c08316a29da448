// `lblab up --mode`: checked before anything starts.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliIo } from '../../../cli/commands/io.js';
import { registerUp } from '../../../cli/commands/up.js';

async function upError(args: readonly string[]): Promise<{ code?: string; message: string }> {
  const program = new Command().exitOverride();
  registerUp(program, cliIo({ out: () => {}, err: () => {} }, () => false));
  try {
    await program.parseAsync(['up', ...args], { from: 'user' });
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('up did not refuse');
}

describe('lblab up --mode', () => {
  it('refuses an algorithm that does not work per connection, naming the mode, the algorithm and the ones allowed', async () => {
    const error = await upError(['--mode', 'tcp', '--algorithm', 'least-response-time']);
    expect(error.code).toBe('LBLAB_BAD_INPUT');
    expect(error.message).toBe(
      '--algorithm: algorithm "least-response-time" does not work in tcp mode ' +
        '(it needs the response time of each request, which a TCP relay does not see); algorithms in tcp mode: ' +
        'round-robin, weighted-round-robin, least-connections, random, power-of-two, consistent-hash, first-available, maglev',
    );
  });

  it('refuses an unknown mode and an unknown health check', async () => {
    expect((await upError(['--mode', 'udp'])).message).toContain("option '--mode <mode>' argument 'udp' is invalid. Allowed choices are http, tcp.");
    expect((await upError(['--mode', 'tcp', '--health-check', 'ping'])).message).toContain(
      "option '--health-check <kind>' argument 'ping' is invalid. Allowed choices are http, tcp.",
    );
  });
});
