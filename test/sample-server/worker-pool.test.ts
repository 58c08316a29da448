import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_FAULT } from '../../sample-server/fault.js';
import { WorkerPool } from '../../sample-server/worker-pool.js';
import { eventually, getJson, postJson, serverPool } from './start-server.js';

class FakeResponse extends EventEmitter {
  destroyed = false;
  close(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

describe('WorkerPool', () => {
  it('admits at most `limit` at once, the rest first come first served', async () => {
    const pool = new WorkerPool(2);
    const responses = Array.from({ length: 5 }, () => new FakeResponse());
    const admitted: number[] = [];
    const entered = responses.map((res, index) => pool.enter(res).then((ok) => ok && admitted.push(index)));
    await Promise.resolve();
    expect([pool.inService, pool.queued]).toEqual([2, 3]);
    responses[1]?.close();
    responses[0]?.close();
    responses[3]?.close();
    responses[2]?.close();
    await Promise.all(entered.slice(0, 5));
    expect(admitted).toEqual([0, 1, 2, 3, 4]);
    expect([pool.inService, pool.queued]).toEqual([1, 0]);
  });

  it('a client that leaves while waiting leaves the queue; a higher limit admits the waiting at once', async () => {
    const pool = new WorkerPool(1);
    const [first, second, third] = [new FakeResponse(), new FakeResponse(), new FakeResponse()];
    expect(await pool.enter(first)).toBe(true);
    const secondEntered = pool.enter(second);
    const thirdEntered = pool.enter(third);
    second.close();
    expect(await secondEntered).toBe(false);
    expect(pool.queued).toBe(1);
    pool.setLimit(0);
    expect(await thirdEntered).toBe(true);
    expect([pool.inService, pool.queued]).toEqual([2, 0]);
  });
});

const servers = serverPool();
afterEach(() => servers.closeAll());

describe('concurrency (the server\'s workers)', () => {
  it('queues requests beyond the workers, skips the queue for /health, and follows /_lab/fault', async () => {
    const server = await servers.start({ fault: { ...NO_FAULT, latencyMs: { minMs: 60_000, maxMs: 60_000 }, concurrency: 1 } });
    const stats = (): Promise<{ body: { inFlight: number; queued: number } }> => getJson(`${server.url}/_lab/stats`);
    const controller = new AbortController();
    const requests = [1, 2, 3].map(() => fetch(`${server.url}/home`, { signal: controller.signal }).catch(() => 'aborted'));
    expect((await eventually(stats, (reply) => reply.body.inFlight === 3)).body).toMatchObject({ inFlight: 3, queued: 2 });

    expect((await postJson(`${server.url}/_lab/fault`, { concurrency: 2 })).body.fault.concurrency).toBe(2);
    expect((await eventually(stats, (reply) => reply.body.queued === 1)).body.queued).toBe(1);
    expect((await postJson(`${server.url}/_lab/fault`, { concurrency: -1 })).body.message).toBe(
      'Invalid concurrency -1: expected an integer from 0 (no limit) to 10000',
    );

    controller.abort();
    await Promise.all(requests);
    expect((await eventually(stats, (reply) => reply.body.inFlight === 0)).body).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('health checks are answered while every worker is busy', async () => {
    const server = await servers.start({ fault: { ...NO_FAULT, latencyMs: { minMs: 60_000, maxMs: 60_000 }, concurrency: 1 } });
    const controller = new AbortController();
    const busy = fetch(`${server.url}/home`, { signal: controller.signal }).catch(() => 'aborted');
    await eventually(
      () => getJson(`${server.url}/_lab/stats`),
      (reply) => reply.body.inFlight === 1,
    );
    // /health still waits the latency fault (it always did), so clear the latency, not the workers.
    await postJson(`${server.url}/_lab/fault`, { latencyMs: 0 });
    expect((await getJson(`${server.url}/health`)).status).toBe(200);
    controller.abort();
    await busy;
  });
});
