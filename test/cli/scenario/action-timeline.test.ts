import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActionTimeline, type ActionRecord } from '../../../cli/scenario/action-timeline.js';
import type { PreparedAction } from '../../../cli/scenario/apply-scenario-action.js';
import type { ScenarioAction } from '../../../cli/scenario/schema.js';

const kill = (atMs: number, server: string): ScenarioAction => ({ atMs, action: 'kill', servers: [server] });
const revive = (atMs: number, server: string): ScenarioAction => ({ atMs, action: 'revive', servers: [server] });

describe('ActionTimeline (fake clock)', () => {
  let startMs: number;
  beforeEach(() => {
    vi.useFakeTimers();
    startMs = Date.now();
  });
  afterEach(() => vi.useRealTimers());

  /** Each action takes `workMs` of fake time; revive of server9 fails. */
  function timeline(actions: ScenarioAction[], workMs: number, events: string[]): ActionTimeline {
    return new ActionTimeline({
      actions,
      elapsedMs: () => Date.now() - startMs,
      prepare: async (action): Promise<PreparedAction> => {
        const target = action.action === 'kill' || action.action === 'revive' ? action.servers.join(', ') : '?';
        return {
          action: action.action,
          target,
          run: async () => {
            if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
            if (target === 'server9') throw new Error('unknown server "server9"');
          },
        };
      },
      onStart: (r: ActionRecord) => events.push(`start ${r.action} ${r.target} @${r.atMs}`),
      onDone: (r: ActionRecord) => events.push(`done ${r.action} ${r.target}${r.error === undefined ? '' : ` (${r.error})`}`),
    });
  }

  it('fires actions at their times, in time order, without waiting for the caller', async () => {
    const events: string[] = [];
    const line = timeline([revive(800, 'server2'), kill(300, 'server2')], 0, events);
    line.start();
    await vi.advanceTimersByTimeAsync(299);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual(['start kill server2 @300', 'done kill server2']);
    await vi.advanceTimersByTimeAsync(500);
    expect(line.records).toEqual([
      { atMs: 300, action: 'kill', target: 'server2' },
      { atMs: 800, action: 'revive', target: 'server2' },
    ]);
    expect(await line.settled(1)).toBe(true);
  });

  it('runs one action at a time: one due while another runs starts when it ends', async () => {
    const events: string[] = [];
    const line = timeline([revive(100, 'server2'), kill(200, 'server3')], 500, events);
    line.start();
    await vi.advanceTimersByTimeAsync(1100);
    expect(events).toEqual(['start revive server2 @100', 'done revive server2', 'start kill server3 @600', 'done kill server3']);
  });

  it('records a failed action with its error', async () => {
    const events: string[] = [];
    const line = timeline([revive(10, 'server9')], 0, events);
    line.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(line.records).toEqual([{ atMs: 10, action: 'revive', target: 'server9', error: 'unknown server "server9"' }]);
    expect(events.at(-1)).toBe('done revive server9 (unknown server "server9")');
  });

  it('cancels the actions not yet due and says which', async () => {
    const line = timeline([kill(100, 'server1'), revive(5000, 'server1')], 0, []);
    line.start();
    await vi.advanceTimersByTimeAsync(200);
    expect(line.cancelPending()).toEqual([revive(5000, 'server1')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(line.records.map((r) => r.action)).toEqual(['kill']);
  });

  it('gives up waiting for a running action after the timeout', async () => {
    const line = timeline([kill(0, 'server1')], 60_000, []);
    line.start();
    await vi.advanceTimersByTimeAsync(1);
    const settled = line.settled(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled).toBe(false);
  });
});
