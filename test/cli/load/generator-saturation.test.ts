import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../../cli/load/run-load.js';
import { startTestServer, type TestServer } from './fixtures/test-server.js';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("the load generator's own saturation", () => {
  it('is measured for every run and not flagged for a gentle one', async () => {
    server = await startTestServer({ reply: () => ({ delayMs: 20 }) });
    // Long enough for windows after the first (start-up) one.
    const run = runLoad({ url: `${server.url}/home`, model: { kind: 'closed', requests: 120, concurrency: 1 } });
    const result = await run.result;
    expect(result.saturation, JSON.stringify(result.saturation)).toMatchObject({ saturated: false });
    expect(result.ticks.some((tick) => tick.generatorSaturation !== undefined)).toBe(true);
  });

  it('is flagged when the generator cannot keep up (its event loop blocked while the load runs)', async () => {
    server = await startTestServer({ reply: () => ({ delayMs: 20 }) });
    const run = runLoad({ url: `${server.url}/home`, model: { kind: 'closed', requests: 15, concurrency: 1 }, tickIntervalMs: 100 });
    // A listener that hogs the generator's event loop, as a heavy display or too much load would.
    run.on('tick', () => {
      const until = performance.now() + 100;
      while (performance.now() < until);
    });
    const result = await run.result;
    expect(result.saturation?.saturated).toBe(true);
  });
});
