import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { LabFeed, type LabFeedOptions } from '../../../cli/dashboard/lab-feed.js';
import type { LabMember } from '../../../cli/runtime/runtime.js';
import { FakeAdmin } from './fake-admin.js';
import { T0 } from './fixtures.js';

const ADMIN_URL = 'http://127.0.0.1:8081';

let feed: LabFeed | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});

afterEach(() => {
  feed?.stop();
  feed = undefined;
  vi.useRealTimers();
});

function startFeed(admin: FakeAdmin, options: Partial<LabFeedOptions> = {}): LabFeed {
  feed = new LabFeed({ lab: 'dash', runtime: 'process', adminUrl: ADMIN_URL, transport: admin.transport, ...options }).start();
  return feed;
}

function row(name: string) {
  return feed?.snapshot().servers.find((server) => server.name === name);
}

const encoder = new TextEncoder();

/** Writes `text` to the stream in chunks of `size` bytes, letting the feed read between them. */
async function writeInChunks(stream: { write: (chunk: Uint8Array) => void }, text: string, size: number): Promise<void> {
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i += size) {
    stream.write(bytes.slice(i, i + size));
    await vi.advanceTimersByTimeAsync(0);
  }
}

describe('LabFeed /stats', () => {
  test('turns successive counters into requests per second, shares, error rate and sparkline points', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2', 'server3']);
    admin.ratesPerSec = { server1: 100, server2: 300, server3: 0 };
    admin.errorsPerSec = 4;
    startFeed(admin);
    await vi.advanceTimersByTimeAsync(3_100);

    const state = feed!.snapshot();
    expect(state.connection).toEqual({ status: 'live', sinceMs: T0 });
    expect(state.algorithm).toBe('round-robin');
    expect(state.totals.ratePerSec).toBe(400);
    expect(state.totals.errorRate).toBeCloseTo(0.01);
    expect(row('server1')).toMatchObject({ ratePerSec: 100, share: 0.25, health: 'up', registered: true, state: 'unknown' });
    expect(row('server2')).toMatchObject({ ratePerSec: 300, share: 0.75 });
    expect(row('server3')).toMatchObject({ ratePerSec: 0, share: 0 });
    // One point a second after the first sample: at 1 s, 2 s and 3 s.
    expect(row('server1')?.rateHistory).toEqual([100, 100, 100]);
    expect(row('server2')?.rateHistory).toEqual([300, 300, 300]);
    // ~4 polls a second.
    expect(admin.urls.filter((url) => url.endsWith('/stats')).length).toBe(13);
  });

  test('idle: shares and error rate fall back to all requests so far', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2']);
    admin.ratesPerSec = { server1: 100, server2: 300 };
    startFeed(admin);
    await vi.advanceTimersByTimeAsync(2_000);
    admin.ratesPerSec = { server1: 0, server2: 0 };
    admin.restart();
    // The restart resets the counters; nothing flows after it.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(feed!.snapshot().totals.ratePerSec).toBe(0);
    expect(row('server1')?.ratePerSec).toBe(0);
    expect(row('server1')?.rateHistory.every((rate) => rate >= 0)).toBe(true);
  });

  test('joins the runtime members: states, and servers the balancer does not know', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2']);
    const members: LabMember[] = [
      { name: 'balancer', role: 'balancer', state: 'running' },
      { name: 'server1', role: 'server', state: 'running' },
      { name: 'server2', role: 'server', state: 'stopped' },
      { name: 'server10', role: 'server', state: 'running' },
    ];
    startFeed(admin, { listMembers: async () => members });
    await vi.advanceTimersByTimeAsync(300);
    expect(feed!.snapshot().servers.map((server) => [server.name, server.state, server.health, server.registered])).toEqual([
      ['server1', 'running', 'up', true],
      ['server2', 'stopped', 'up', true],
      ['server10', 'running', 'unknown', false],
    ]);
  });
});

describe('LabFeed connection', () => {
  test('a lost balancer is a state with since-time and reason; it reconnects when the lab comes back', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    admin.ratesPerSec = { server1: 200 };
    startFeed(admin);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(feed!.snapshot().connection?.status).toBe('live');
    expect(feed!.snapshot().eventStream).toBe('open');

    admin.down = true;
    const downAt = Date.now();
    admin.streams[0]?.end();
    await vi.advanceTimersByTimeAsync(249);
    // One failed poll does not make a live connection lost.
    expect(feed!.snapshot().connection?.status).toBe('live');
    await vi.advanceTimersByTimeAsync(5_000);
    const lost = feed!.snapshot();
    expect(lost.connection).toMatchObject({ status: 'lost', sinceMs: downAt + 250, reason: 'connect ECONNREFUSED 127.0.0.1:8081' });
    expect(lost.connection?.status === 'lost' && lost.connection.attempts).toBeGreaterThan(3);
    expect(lost.eventStream).toBe('retrying');
    expect(lost.totals.ratePerSec).toBe(0);
    expect(lost.events.at(-1)).toMatchObject({ text: 'balancer unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:8081', tone: 'bad' });

    admin.down = false;
    admin.restart();
    await vi.advanceTimersByTimeAsync(3_500);
    const back = feed!.snapshot();
    expect(back.connection?.status).toBe('live');
    expect(back.eventStream).toBe('open');
    expect(back.events.some((event) => event.text === 'balancer reachable again')).toBe(true);
    expect(back.totals.ratePerSec).toBe(200);
    expect(admin.streams.length).toBeGreaterThanOrEqual(2);
  });

  test('while lost it asks for the admin URL again, so a lab brought back on another port is found', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    let adminUrl: string | undefined = ADMIN_URL;
    const fetchThrough: typeof admin.transport = (url, init) =>
      url.startsWith(adminUrl ?? '-') ? admin.transport(url, init) : Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }));
    startFeed(admin, { transport: fetchThrough, resolveAdminUrl: async () => adminUrl });
    await vi.advanceTimersByTimeAsync(500);
    adminUrl = undefined;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(feed!.snapshot().connection).toMatchObject({ status: 'lost', reason: 'lab dash is down' });
    adminUrl = 'http://127.0.0.1:9091';
    await vi.advanceTimersByTimeAsync(3_000);
    expect(feed!.snapshot().connection?.status).toBe('live');
    expect(admin.urls.at(-1)?.startsWith('http://127.0.0.1:9091/')).toBe(true);
  });

  test('stop() clears every timer and closes the event stream', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    startFeed(admin, { listMembers: async () => [] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(admin.streams[0]?.closed).toBe(false);
    feed!.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(admin.streams[0]?.closed).toBe(true);
    const polls = admin.urls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(admin.urls.length).toBe(polls);
  });
});

describe('LabFeed /events', () => {
  test('parses events from an SSE byte stream split across chunks; health changes read from -> to', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2']);
    startFeed(admin);
    await vi.advanceTimersByTimeAsync(300);
    const stream = admin.streams[0]!;
    expect(stream.url).toBe(`${ADMIN_URL}/events?since=${T0 - 60_000}`);

    const down = { type: 'health', at: T0 + 100, server: 'server2', health: 'down', detail: '2 failed checks: connect ECONNREFUSED → server2' };
    const up = { type: 'health', at: T0 + 200, server: 'server2', health: 'up', detail: '2 passed checks' };
    await writeInChunks(stream, `: hello\r\n\r\ndata: ${JSON.stringify(down)}\r\n\r\ndata: not json\n\ndata: ${JSON.stringify(up)}\n\n`, 3);

    const lines = feed!.snapshot().events;
    expect(lines.map((line) => [line.atMs - T0, line.text, line.detail, line.tone])).toEqual([
      [100, 'server2 up -> down', '2 failed checks: connect ECONNREFUSED → server2', 'bad'],
      [200, 'server2 down -> up', '2 passed checks', 'good'],
    ]);
  });

  test('reconnects with ?since= the last event and skips the replayed ones', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    startFeed(admin);
    await vi.advanceTimersByTimeAsync(300);
    const first = { type: 'health', at: T0 + 100, server: 'server1', health: 'down' };
    admin.streams[0]!.write(`data: ${JSON.stringify(first)}\n\n`);
    await vi.advanceTimersByTimeAsync(0);
    admin.streams[0]!.end();
    await vi.advanceTimersByTimeAsync(600);

    const second = admin.streams[1]!;
    expect(second.url).toBe(`${ADMIN_URL}/events?since=${T0 + 100}`);
    const next = { type: 'ejected', at: T0 + 100, server: 'server1', detail: '5 errors in 10 s' };
    second.write(`data: ${JSON.stringify(first)}\n\ndata: ${JSON.stringify(next)}\n\n`);
    await vi.advanceTimersByTimeAsync(0);
    expect(feed!.snapshot().events.map((line) => line.text)).toEqual(['server1 up -> down', 'server1 ejected']);
  });

  test('keeps the latest events only, and notes from the keys go in the same log', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    startFeed(admin, { maxEvents: 5 });
    await vi.advanceTimersByTimeAsync(300);
    for (let i = 0; i < 8; i++) {
      const health = i % 2 === 0 ? 'down' : 'up';
      admin.streams[0]!.write(`data: ${JSON.stringify({ type: 'health', at: T0 + i, server: 'server1', health })}\n\n`);
    }
    await vi.advanceTimersByTimeAsync(0);
    feed!.note('killed server1 (SIGKILL)');
    const lines = feed!.snapshot().events;
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toMatchObject({ text: 'killed server1 (SIGKILL)', tone: 'action' });
    expect(lines.at(-2)?.text).toBe('server1 down -> up');
  });

  test('an admin API without /events is retried with growing waits, and the stats still flow', async () => {
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    admin.eventsStatus = 404;
    startFeed(admin);
    await vi.advanceTimersByTimeAsync(10_000);
    const eventsCalls = admin.urls.filter((url) => url.includes('/events')).length;
    // 0, 0.5, 1.5, 3.5, 5.5, 7.5, 9.5 s
    expect(eventsCalls).toBe(7);
    expect(feed!.snapshot().eventStream).toBe('retrying');
    expect(feed!.snapshot().connection?.status).toBe('live');
  });
});
