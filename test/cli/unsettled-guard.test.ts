import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardUnsettled } from '../../cli/unsettled-guard.js';

describe('guardUnsettled', () => {
  it('reports an empty event loop while the command is pending', () => {
    const source = new EventEmitter();
    let reported = 0;
    guardUnsettled(new Promise(() => undefined), () => (reported += 1), source);
    source.emit('beforeExit');
    expect(reported).toBe(1);
  });

  it('stays quiet, and removes its listener, once the command settled', async () => {
    const source = new EventEmitter();
    let reported = 0;
    const command = Promise.reject(new Error('failed'));
    guardUnsettled(command, () => (reported += 1), source);
    await command.catch(() => undefined);
    await Promise.resolve();
    source.emit('beforeExit');
    expect(reported).toBe(0);
    expect(source.listenerCount('beforeExit')).toBe(0);
  });
});
