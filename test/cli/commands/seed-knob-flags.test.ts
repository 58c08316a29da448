import { describe, expect, it } from 'vitest';
import { parseUsernames, parseWeights, seedKnobSettings } from '../../../cli/commands/seed-knob-flags.js';
import { upFlagsFor } from './fixtures/up-flags.js';

describe('seed knob flags of lblab up', () => {
  it('read weights as server=weight pairs', () => {
    expect(parseWeights('--weights', 'server1=3, server2=1')).toEqual({ server1: 3, server2: 1 });
    expect(() => parseWeights('--weights', 'server1=0')).toThrow(
      '--weights must be server=weight pairs with weights from 1 to 1000, like server1=3,server2=1, got "server1=0"',
    );
    expect(() => parseWeights('--weights', 'server1:3')).toThrow(/got "server1:3"/);
  });

  it('read usernames in server order or as pairs', () => {
    expect(parseUsernames('--usernames', 'jack,tom,rob')).toEqual({ server1: 'jack', server2: 'tom', server3: 'rob' });
    expect(parseUsernames('--usernames', 'server2=tom')).toEqual({ server2: 'tom' });
    expect(() => parseUsernames('--usernames', 'jack,,rob')).toThrow(/in server order \(jack,tom,rob\)/);
  });

  it('turn into up() options, checked against the lab', async () => {
    const flags = await upFlagsFor(['--weights', 'server1=3', '--usernames', 'jack,tom', '--algorithm', 'first-available', '--capacity', '2']);
    expect(seedKnobSettings(flags as never, 3, 'first-available')).toEqual({
      weights: { server1: 3 },
      usernames: { server1: 'jack', server2: 'tom' },
      algorithmOptions: { capacity: 2 },
    });
    expect(() => seedKnobSettings({ weights: { server4: 2 } }, 3, 'round-robin')).toThrow(
      '--weights names server4, but the lab has server1 to server3 (--servers 3)',
    );
    expect(() => seedKnobSettings({ capacity: 2 }, 3, 'round-robin')).toThrow(/under --algorithm first-available .* got --algorithm round-robin/);
  });
});
