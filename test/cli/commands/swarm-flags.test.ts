import { describe, expect, it } from 'vitest';
import { parseRegistryFlag, swarmChoicesOf } from '../../../cli/commands/swarm-flags.js';

describe('--registry', () => {
  it.each(['127.0.0.1:5000', 'registry.lan:443', '[::1]:5000'])('takes %s', (text) => {
    expect(parseRegistryFlag('--registry', text)).toBe(text);
  });

  it.each(['registry.lan', 'http://registry:5000', 'host:0', 'host:70000', ''])('refuses %j, naming the flag and the form', (text) => {
    expect(() => parseRegistryFlag('--registry', text)).toThrow(
      expect.objectContaining({ code: 'LBLAB_BAD_INPUT', message: `--registry must be HOST:PORT of a registry, e.g. 127.0.0.1:5000, got ${JSON.stringify(text)}` }),
    );
  });

  it('passes only the flags given', () => {
    expect(swarmChoicesOf({ placement: 'local' })).toEqual({ placement: 'local' });
  });
});
