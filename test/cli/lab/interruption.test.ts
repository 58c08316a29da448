import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { InterruptedError, Interruption, signalExitCode, type SignalSource, type StopSignal } from '../../../cli/lab/interruption.js';

class FakeSignals extends EventEmitter implements SignalSource {
  send(signal: StopSignal): void {
    this.emit(signal, signal);
  }
}

/** Resolves with what the promise settled to, or 'pending' if it has not yet. */
async function settled<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 20))]);
}

describe('Interruption', () => {
  it('exit codes are 128 + the signal number', () => {
    expect([signalExitCode('SIGHUP'), signalExitCode('SIGINT'), signalExitCode('SIGTERM')]).toEqual([129, 130, 143]);
  });

  it('without a claim, the first signal ends the process at once', async () => {
    const signals = new FakeSignals();
    const interruption = new Interruption(signals).install();
    signals.send('SIGTERM');
    expect(await settled(interruption.exitRequested)).toBe(143);
    expect(interruption.signal.aborted).toBe(true);
    interruption.uninstall();
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('with a claim, the first signal aborts and waits; the second reports, then ends with the first signal\'s code', async () => {
    const signals = new FakeSignals();
    const interruption = new Interruption(signals).install();
    const said: string[] = [];
    const claim = interruption.claim({
      onFirst: (signal) => said.push(`first ${signal}`),
      onSecond: async (signal) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        said.push(`second ${signal}`);
      },
    });
    signals.send('SIGHUP');
    expect(interruption.signal.aborted).toBe(true);
    expect(interruption.signal.reason).toBeInstanceOf(InterruptedError);
    expect(interruption.received).toBe('SIGHUP');
    expect(await settled(interruption.exitRequested)).toBe('pending');
    signals.send('SIGINT');
    expect(await settled(interruption.exitRequested)).toBe(129);
    expect(said).toEqual(['first SIGHUP', 'second SIGINT']);
    claim.release();
  });

  it('a released claim no longer holds the process', async () => {
    const signals = new FakeSignals();
    const interruption = new Interruption(signals).install();
    interruption.claim().release();
    signals.send('SIGINT');
    expect(await settled(interruption.exitRequested)).toBe(130);
  });

  it('names what was stopped, with the signal and its exit code', () => {
    const signals = new FakeSignals();
    const interruption = new Interruption(signals).install();
    interruption.claim();
    signals.send('SIGTERM');
    const error = interruption.error('lab x was not started');
    expect(error).toMatchObject({ code: 'LBLAB_INTERRUPTED', exitCode: 143, message: 'lab x was not started (SIGTERM)' });
  });
});
