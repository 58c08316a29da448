import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { nextAlgorithm, type DashboardActions } from '../../../cli/dashboard/dashboard-actions.js';
import { DashboardApp } from '../../../cli/dashboard/dashboard-app.js';
import { FakeSource } from './fake-source.js';
import { labState, lineWith, plain, servers } from './fixtures.js';

const DOWN = '\u001B[B';
const UP = '\u001B[A';

function fakeActions(): DashboardActions & { kill: ReturnType<typeof vi.fn>; revive: ReturnType<typeof vi.fn>; setAlgorithm: ReturnType<typeof vi.fn> } {
  return {
    kill: vi.fn(async (server: string) => `killed ${server} (SIGKILL)`),
    revive: vi.fn(async (server: string): Promise<string> => {
      throw new Error(`cannot revive ${server}: it is running`);
    }),
    setAlgorithm: vi.fn(async () => undefined),
  };
}

type TestStdin = { write: (data: string) => void; listenerCount: (event: string) => number };

/** Ink reads keys once its input effect has subscribed to stdin, and draws once the app listens to the source. */
async function ready(stdin: TestStdin, source: FakeSource): Promise<void> {
  await vi.waitFor(() => {
    expect(stdin.listenerCount('readable')).toBeGreaterThan(0);
    expect(source.listenerCount).toBe(1);
  });
}

/** Presses a key and waits for the frame that shows it was handled. */
async function press(stdin: TestStdin, key: string, handled: () => void): Promise<void> {
  stdin.write(key);
  await vi.waitFor(handled, { timeout: 10_000 });
}

const mounted: { unmount: () => void }[] = [];
afterEach(() => {
  for (const app of mounted.splice(0)) app.unmount();
});

function start(source: FakeSource, actions?: DashboardActions, onQuit?: () => void) {
  const app = render(<DashboardApp source={source} actions={actions} onQuit={onQuit} size={{ columns: 80, rows: 24 }} />);
  mounted.push(app);
  return app;
}

describe('DashboardApp', () => {
  test('↓ selects the next server and k kills it; the event log shows the kill', async () => {
    const source = new FakeSource(labState({ servers: servers(3) }));
    const actions = fakeActions();
    const { stdin, lastFrame } = start(source, actions);
    await ready(stdin, source);
    await vi.waitFor(() => expect(lineWith(lastFrame(), 'server1')).toMatch(/^› server1/), { timeout: 10_000 });
    await press(stdin, DOWN, () => expect(lineWith(lastFrame(), 'server2')).toMatch(/^› server2/));
    await press(stdin, DOWN, () => expect(lineWith(lastFrame(), 'server3')).toMatch(/^› server3/));
    await press(stdin, UP, () => expect(lineWith(lastFrame(), 'server2')).toMatch(/^› server2/));
    await press(stdin, 'k', () => expect(plain(lastFrame())).toContain('killed server2 (SIGKILL)'));
    expect(actions.kill).toHaveBeenCalledWith('server2');
    // The key's note and the runtime's report are one event.
    expect(plain(lastFrame())).toMatch(/\d\d:\d\d:\d\d\.\d{3} killed server2 \(SIGKILL\)\n/);
    expect(plain(lastFrame())).not.toMatch(/ kill server2\n/);
    expect(source.refreshes).toBe(1);
  });

  test('r shows the error of a failed revive in the event log', async () => {
    const source = new FakeSource(labState({ servers: servers(3) }));
    const actions = fakeActions();
    const { stdin, lastFrame } = start(source, actions);
    await ready(stdin, source);
    await press(stdin, 'r', () => expect(plain(lastFrame())).toContain('revive server1 failed  cannot revive server1: it is running'));
  });

  test('a cycles the algorithm in the order of ALGORITHM_NAMES', async () => {
    const source = new FakeSource(labState({ algorithm: 'round-robin' }));
    const actions = fakeActions();
    const { stdin, lastFrame } = start(source, actions);
    await ready(stdin, source);
    await press(stdin, 'a', () => expect(plain(lastFrame())).toContain('algorithm round-robin -> weighted-round-robin'));
    expect(actions.setAlgorithm).toHaveBeenCalledWith('weighted-round-robin');
    expect(nextAlgorithm('maglev')).toBe('round-robin');
    expect(nextAlgorithm('unknown')).toBe('round-robin');
  });

  test('the selection follows the server by name when rows change', async () => {
    const source = new FakeSource(labState({ servers: servers(3) }));
    const { stdin, lastFrame } = start(source, fakeActions());
    await ready(stdin, source);
    await press(stdin, DOWN, () => expect(lineWith(lastFrame(), 'server2')).toMatch(/^› server2/));
    await press(stdin, DOWN, () => expect(lineWith(lastFrame(), 'server3')).toMatch(/^› server3/));
    source.set({ servers: servers(3).filter((server) => server.name !== 'server1') });
    await vi.waitFor(() => {
      expect(plain(lastFrame())).not.toMatch(/server1 +running/);
      expect(lineWith(lastFrame(), 'server3')).toMatch(/^› server3/);
    });
  });

  test('a server going down re-renders its row', async () => {
    const source = new FakeSource(labState({ servers: servers(3) }));
    const { lastFrame } = start(source, fakeActions());
    await vi.waitFor(() => expect(lineWith(lastFrame(), 'server2')).toMatch(/server2 +running +up /), { timeout: 10_000 });
    source.set({ servers: servers(3).map((row) => (row.name === 'server2' ? { ...row, health: 'down' } : row)) });
    await vi.waitFor(() => expect(lineWith(lastFrame(), 'server2')).toMatch(/server2 +running +down /), { timeout: 10_000 });
  });

  test('q calls onQuit and unmounts; the app stops listening to the source', async () => {
    const source = new FakeSource(labState());
    const onQuit = vi.fn();
    const { stdin } = start(source, fakeActions(), onQuit);
    await ready(stdin, source);
    await press(stdin, 'q', () => expect(onQuit).toHaveBeenCalledTimes(1));
    await vi.waitFor(() => expect(source.listenerCount).toBe(0), { timeout: 10_000 });
  });

  test('without actions, k does nothing and the help line only offers q', async () => {
    const source = new FakeSource(labState({ servers: servers(2) }));
    const { stdin, lastFrame } = start(source);
    await ready(stdin, source);
    stdin.write('k');
    // Keys are handled in order: once ↓ shows, k has been handled (and did nothing).
    await press(stdin, DOWN, () => expect(lineWith(lastFrame(), 'server2')).toMatch(/^› server2/));
    expect(plain(lastFrame()).split('\n').at(-1)).toBe('q quit');
    expect(plain(lastFrame())).not.toContain('kill server1');
  });

  test('a summary closes the screen, with finished phases printed above it', async () => {
    const source = new FakeSource(labState());
    const { lastFrame, frames } = start(source);
    await vi.waitFor(() => expect(source.listenerCount).toBe(1), { timeout: 10_000 });
    source.set({
      run: {
        scenario: 'demo',
        progress: { phase: 'warmup', phaseIndex: 0, phaseCount: 1, elapsedMs: 10_000, totalMs: 10_000 },
        finishedPhases: [{ index: 0, name: 'warmup', durationMs: 10_000, requests: 4_120, errors: 0 }],
        summary: { requests: 4_120, errors: 0, durationMs: 10_000, latency: { p50Ms: 1, p99Ms: 5 }, byServer: { server1: { requests: 4_120, errors: 0 } } },
        resultsDir: 'results/demo',
      },
    });
    // The app exits once the summary is drawn, so look for the frame that drew it, not only the last one.
    const summaryFrame = (): string => plain(frames.findLast((frame) => plain(frame).includes('results  results/demo')) ?? '');
    await vi.waitFor(() => expect(summaryFrame()).toContain('results  results/demo'), { timeout: 10_000 });
    expect(summaryFrame()).toContain('4,120 requests in 0:10');
    expect(summaryFrame()).not.toContain('q quit');
    expect(plain(frames.join('\n'))).toContain('✔ phase 1 warmup  10.0s  4,120 req  0 err');
    expect(plain(lastFrame() ?? '')).not.toContain('q quit');
  });
});
