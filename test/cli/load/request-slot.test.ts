import { setImmediate as nextTurn } from 'node:timers/promises';
import { errors, type Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { NO_SERVER_ID } from '../../../cli/load/load-result.js';
import { RequestSlot, type SlotDispatchOptions } from '../../../cli/load/request-slot.js';

/** A dispatcher that keeps what it was given; `onDispatch` plays undici's part. */
function fakeDispatcher(onDispatch: (handler: Dispatcher.DispatchHandler) => void = () => undefined) {
  const dispatched: { path: string; handler: Dispatcher.DispatchHandler }[] = [];
  const dispatcher = {
    dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      dispatched.push({ path: options.path, handler });
      onDispatch(handler);
      return true;
    },
  };
  return { dispatcher: dispatcher as unknown as Dispatcher, dispatched };
}

function slotWithOutcomes() {
  const options: SlotDispatchOptions = { path: '/', method: 'GET' };
  const outcomes: { statusCode: number; serverId: string; errorCode: string | undefined }[] = [];
  const slot = new RequestSlot(options, (done) => {
    outcomes.push({ statusCode: done.statusCode, serverId: done.serverId, errorCode: done.errorCode });
  });
  return { slot, outcomes };
}

const raw = (...pairs: string[]): Buffer[] => pairs.map((text) => Buffer.from(text, 'latin1'));
const noListener = (): void => undefined;

describe('RequestSlot', () => {
  it('reports a response once, with its status and server id, and ignores later callbacks', () => {
    const { slot, outcomes } = slotWithOutcomes();
    const { dispatcher, dispatched } = fakeDispatcher();
    slot.send(dispatcher, '/home?id=3', 0, noListener);
    expect(dispatched.map((d) => d.path)).toEqual(['/home?id=3']);
    slot.onConnect(() => undefined);
    expect(slot.onHeaders(503, raw('Content-Type', 'text/plain', 'X-Server-Id', 'server2'))).toBe(true);
    expect(slot.onData()).toBe(true);
    slot.onComplete();
    slot.onError(new Error('late'));
    expect(outcomes).toEqual([{ statusCode: 503, serverId: 'server2', errorCode: undefined }]);
  });

  it('reports a failure with its code on the next turn, and resets what the previous request left', async () => {
    const { slot, outcomes } = slotWithOutcomes();
    const { dispatcher } = fakeDispatcher();
    slot.send(dispatcher, '/', 0, noListener);
    slot.onHeaders(200, raw('x-server-id', 'server1'));
    slot.onComplete();
    slot.send(dispatcher, '/', 0, noListener);
    slot.onError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    slot.onError(new Error('twice'));
    expect(outcomes).toHaveLength(1);
    await nextTurn();
    expect(outcomes).toEqual([
      { statusCode: 200, serverId: 'server1', errorCode: undefined },
      { statusCode: 0, serverId: NO_SERVER_ID, errorCode: 'ECONNREFUSED' },
    ]);
  });

  it('reports a failure raised inside dispatch() on the next turn, not from within dispatch()', async () => {
    const { slot, outcomes } = slotWithOutcomes();
    const { dispatcher } = fakeDispatcher((handler) => handler.onError?.(new errors.InvalidArgumentError('invalid request method')));
    slot.send(dispatcher, '/', 0, noListener);
    expect(outcomes).toEqual([]);
    await nextTurn();
    expect(outcomes).toEqual([{ statusCode: 0, serverId: NO_SERVER_ID, errorCode: 'UND_ERR_INVALID_ARG' }]);
  });

  it('times out after more idle sweeps than the limit: headers, then body gaps; progress restarts the count', async () => {
    const { slot, outcomes } = slotWithOutcomes();
    const { dispatcher } = fakeDispatcher();
    const abortWith = (error?: Error): void => slot.onError(error ?? new Error('aborted'));

    slot.send(dispatcher, '/', 0, noListener);
    slot.onConnect(abortWith);
    for (let i = 0; i < 3; i++) slot.sweep(3, 100);
    expect(outcomes).toEqual([]);
    slot.sweep(3, 100);
    await nextTurn();
    expect(outcomes.at(-1)?.errorCode).toBe('UND_ERR_HEADERS_TIMEOUT');

    slot.send(dispatcher, '/', 0, noListener);
    slot.onConnect(abortWith);
    slot.sweep(3, 100);
    slot.sweep(3, 100);
    slot.onHeaders(200, []);
    for (let i = 0; i < 3; i++) slot.sweep(3, 100);
    slot.onData();
    for (let i = 0; i < 3; i++) slot.sweep(3, 100);
    expect(outcomes).toHaveLength(1);
    slot.sweep(3, 100);
    await nextTurn();
    expect(outcomes.at(-1)?.errorCode).toBe('UND_ERR_BODY_TIMEOUT');
  });

  it('does not time out a request still waiting for a connection, nor an idle slot', () => {
    const { slot, outcomes } = slotWithOutcomes();
    const { dispatcher } = fakeDispatcher();
    for (let i = 0; i < 10; i++) slot.sweep(1, 100);
    slot.send(dispatcher, '/', 0, noListener);
    for (let i = 0; i < 10; i++) slot.sweep(1, 100);
    expect(outcomes).toEqual([]);
  });
});
