import { describe, expect, it } from 'vitest';
import { describeMemberAction } from '../../../cli/lab/describe-member-action.js';
import { nothingToDo } from '../../../cli/lab/member-actions.js';

describe('nothingToDo', () => {
  it.each([
    { action: 'kill', state: 'stopped', expected: 'server2 is already stopped; nothing was changed' },
    { action: 'kill', state: 'running', expected: undefined },
    { action: 'kill', state: 'paused', expected: undefined },
    { action: 'pause', state: 'paused', expected: 'server2 is already paused; nothing was changed' },
    {
      action: 'pause',
      state: 'stopped',
      expected: 'server2 is stopped, so it cannot be paused; nothing was changed; bring it back with `lblab revive server2`',
    },
    { action: 'pause', state: 'running', expected: undefined },
    { action: 'revive', state: 'running', expected: 'server2 is already running; nothing was changed' },
    { action: 'revive', state: 'stopped', expected: undefined },
    { action: 'revive', state: 'paused', expected: undefined },
    { action: 'unpause', state: 'running', expected: 'server2 is not paused (it is running); nothing was changed' },
    {
      action: 'unpause',
      state: 'stopped',
      expected: 'server2 is not paused (it is stopped); nothing was changed; bring it back with `lblab revive server2`',
    },
    { action: 'unpause', state: 'paused', expected: undefined },
  ] as const)('$action of a $state server: $expected', ({ action, state, expected }) => {
    expect(nothingToDo(action, 'server2', state)).toBe(expected);
  });

  it('names the lab in the hint when it is not the default one', () => {
    expect(nothingToDo('unpause', 'server2', 'stopped', 'second')).toContain('`lblab revive server2 --lab second`');
  });
});

describe('describeMemberAction', () => {
  it('says what was done, and how long until the balancer saw the server up', () => {
    expect(describeMemberAction({ name: 'server2', action: 'kill', before: 'running', changed: true })).toBe('killed server2 (SIGKILL)');
    expect(describeMemberAction({ name: 'server2', action: 'revive', before: 'stopped', changed: true, backUpAfterMs: 420 })).toBe(
      'revived server2; the balancer sees it up after 420 ms',
    );
    expect(describeMemberAction({ name: 'server2', action: 'revive', before: 'paused', changed: true, backUpAfterMs: 10 })).toBe(
      'revived server2 (it was paused: resumed it); the balancer sees it up after 10 ms',
    );
  });

  it('says nothing was changed, and why', () => {
    const unchangedReason = 'server2 is already stopped; nothing was changed';
    expect(describeMemberAction({ name: 'server2', action: 'kill', before: 'stopped', changed: false, unchangedReason })).toBe(unchangedReason);
  });

  it('tells how to bring a killed balancer back, and what a revived one registered again', () => {
    expect(describeMemberAction({ name: 'balancer', action: 'kill', before: 'running', changed: true }, 'second')).toBe(
      'killed balancer (SIGKILL); the lab serves nothing until `lblab revive balancer --lab second`',
    );
    expect(
      describeMemberAction({
        name: 'balancer',
        action: 'revive',
        before: 'stopped',
        changed: true,
        backUpAfterMs: 300,
        reRegistered: { registered: ['server4'], deregistered: ['server3'] },
      }),
    ).toBe('revived balancer; it answers again after 300 ms; registered server4 again; deregistered server3 (no such member)');
  });
});
