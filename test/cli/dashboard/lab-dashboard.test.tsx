import { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { registerDashboard } from '../../../cli/commands/dashboard.js';
import { parseDuration } from '../../../cli/commands/option-parsers.js';
import { isInteractive } from '../../../cli/dashboard/interactive.js';
import { LabFeed } from '../../../cli/dashboard/lab-feed.js';
import { runLabDashboard } from '../../../cli/dashboard/lab-dashboard.js';
import type { OpenLab } from '../../../cli/lab/open-lab.js';
import { FakeAdmin } from './fake-admin.js';
import { T0, plain } from './fixtures.js';

const ADMIN_URL = 'http://127.0.0.1:8081';
/** runLabDashboard only touches the lab for the keys (TTY mode). */
const NO_LAB = {} as OpenLab;

afterEach(() => {
  vi.useRealTimers();
});

describe('runLabDashboard', () => {
  test('--once prints one snapshot: header, one row per server, events; no key help', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2', 'server3']);
    admin.ratesPerSec = { server1: 100, server2: 100, server3: 100 };
    admin.health.server2 = 'down';
    const feed = new LabFeed({ lab: 'dash', runtime: 'process', adminUrl: ADMIN_URL, transport: admin.transport, statsIntervalMs: 20 });
    const out: string[] = [];
    await runLabDashboard({ lab: NO_LAB, mode: 'once', out: (text) => out.push(text), signal: new AbortController().signal, feed });
    expect(out).toHaveLength(1);
    const frame = plain(out[0]);
    expect(frame).toMatch(/^lblab · lab dash · process · round-robin +● live\n/);
    expect(frame).toMatch(/server2 +- +down /);
    expect(frame).toContain('─ events ─');
    expect(frame).not.toContain('q quit');
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    // The feed is stopped: nothing polls any more.
    const polls = admin.urls.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(admin.urls.length).toBe(polls);
  });

  test.each([
    ['saturated', true],
    ['not saturated', false],
  ])('--once shows the saturation warning only when /stats says the balancer is saturated (%s)', async (_label, saturated) => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2', 'server3']);
    admin.saturation = { eventLoopUtilization: saturated ? 0.97 : 0.2, eventLoopDelayP99Ms: saturated ? 140 : 3, windowMs: 1_000, saturated };
    const feed = new LabFeed({ lab: 'dash', runtime: 'process', adminUrl: ADMIN_URL, transport: admin.transport, statsIntervalMs: 20 });
    const out: string[] = [];
    await runLabDashboard({ lab: NO_LAB, mode: 'once', out: (text) => out.push(text), signal: new AbortController().signal, feed, columns: 100 });
    const frame = plain(out[0]).replace(/\n\s*/g, ' ');
    const warning = "warning: the balancer is saturated (event loop 97% busy, delay p99 140 ms): these figures reflect lblab's limits, not the servers' or the algorithm's";
    if (saturated) expect(frame).toContain(warning);
    else expect(frame).not.toContain('saturated');
    // The warning takes rows from the events, never from the servers.
    expect(frame).toMatch(/server3 /);
  });

  test('without a TTY: the saturation warning once when it starts, not every second', async () => {
    vi.useFakeTimers({ now: T0 });
    const admin = new FakeAdmin(() => Date.now(), ['server1']);
    admin.saturation = { eventLoopUtilization: 0.99, eventLoopDelayP99Ms: 210, windowMs: 1_000, saturated: true };
    const feed = new LabFeed({ lab: 'dash', adminUrl: ADMIN_URL, transport: admin.transport });
    const lines: string[] = [];
    const controller = new AbortController();
    const done = runLabDashboard({ lab: NO_LAB, mode: 'plain', out: (line) => lines.push(line), signal: controller.signal, feed });
    await vi.advanceTimersByTimeAsync(3_000);
    const warnings = lines.filter((line) => line.startsWith('warning: the balancer is saturated (event loop 99% busy, delay p99 210 ms)'));
    expect(warnings).toHaveLength(1);
    controller.abort();
    await done;
  });

  test('without a TTY: a plain line a second until the signal; a lost balancer is a line too', async () => {
    vi.useFakeTimers({ now: T0 });
    const admin = new FakeAdmin(() => Date.now(), ['server1', 'server2']);
    admin.ratesPerSec = { server1: 100, server2: 300 };
    const feed = new LabFeed({ lab: 'dash', adminUrl: ADMIN_URL, transport: admin.transport });
    const lines: string[] = [];
    const controller = new AbortController();
    const done = runLabDashboard({ lab: NO_LAB, mode: 'plain', out: (line) => lines.push(line), signal: controller.signal, feed });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(lines).toEqual([
      '12:03:05 rr 400 req/s err 0.0% | server1 up 25% | server2 up 75%',
      '12:03:06 rr 400 req/s err 0.0% | server1 up 25% | server2 up 75%',
    ]);
    admin.down = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(lines).toContain('12:03:07.012 balancer unreachable  connect ECONNREFUSED 127.0.0.1:8081');
    expect(lines.at(-1)).toBe('12:03:08 balancer unreachable since 12:03:06: connect ECONNREFUSED 127.0.0.1:8081 (retrying)');
    controller.abort();
    await done;
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('lblab dashboard (command)', () => {
  function program(): Command {
    const root = new Command('lblab').option('--lab <name>', 'lab', 'lblab').exitOverride();
    registerDashboard(root, { out: () => undefined, err: () => undefined });
    return root;
  }

  test('checks its flags before looking for the lab', async () => {
    await expect(program().parseAsync(['node', 'lblab', 'dashboard', '--interval', '5ms'])).rejects.toThrow(
      '--interval must be a duration from 50ms to 10000ms like 250, 250ms, 1.5s or 2m, got "5ms"',
    );
    await expect(program().parseAsync(['node', 'lblab', 'dashboard', '--duration', 'soon'])).rejects.toMatchObject({
      code: 'LBLAB_BAD_INPUT',
      exitCode: 2,
    });
  });

  test('says when the lab is not up', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'lblab-dash-'));
    vi.stubEnv('LBLAB_HOME', home);
    try {
      await expect(program().parseAsync(['node', 'lblab', '--lab', 'nolab', 'dashboard', '--once'])).rejects.toMatchObject({
        code: 'LBLAB_LAB_NOT_UP',
      });
    } finally {
      vi.unstubAllEnvs();
      await rm(home, { recursive: true, force: true });
    }
  });

  test('durations: units, bare numbers in the given unit, limits', () => {
    expect(parseDuration('--duration', '30', { minMs: 1, maxMs: 1e9, bareUnit: 's' })).toBe(30_000);
    expect(parseDuration('--duration', '1.5s', { minMs: 1, maxMs: 1e9, bareUnit: 's' })).toBe(1_500);
    expect(parseDuration('--duration', '2m', { minMs: 1, maxMs: 1e9, bareUnit: 's' })).toBe(120_000);
    expect(parseDuration('--interval', '250', { minMs: 50, maxMs: 10_000 })).toBe(250);
    expect(() => parseDuration('--interval', '10', { minMs: 50, maxMs: 10_000 })).toThrow(
      '--interval must be a duration from 50ms to 10000ms like 250, 250ms, 1.5s or 2m, got "10"',
    );
  });

  test('draws with Ink only on a TTY without CI', () => {
    expect(isInteractive({ isTTY: true }, {})).toBe(true);
    expect(isInteractive({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(isInteractive({ isTTY: false }, {})).toBe(false);
    expect(isInteractive({}, {})).toBe(false);
  });
});
